"""Keeping only the small local corrections of a freely written proofread.

A server cannot be asked to judge candidates the way the in-process model is
(engine/fidelity/proofread.py), so through a server Proofread lets the model write the corrected
text, and then keeps only what is a correction: a word the dictionary does not know
replaced by a close one it knows, a confusable word swapped for its pair, a doubled word
removed, a missing article put back. Everything else the model changed (a rephrasing, a
dropped sentence, a preamble) is left as the writer wrote it.
"""

from __future__ import annotations

import difflib
import re

from engine.fidelity.spelling import CONFUSABLE, Dictionary

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|\S")
ARTICLES = ("the", "a", "an")


def distance(a: str, b: str) -> int:
    """Edits (insert, delete, substitute, swap two neighbours) between two words."""
    previous_row = list(range(len(b) + 1))
    before_previous: list[int] = []
    for i, left in enumerate(a, 1):
        row = [i]
        for j, right in enumerate(b, 1):
            cost = min(previous_row[j] + 1, row[j - 1] + 1, previous_row[j - 1] + (left != right))
            if i > 1 and j > 1 and left == b[j - 2] and a[i - 2] == right:
                cost = min(cost, before_previous[j - 2] + 1)
            row.append(cost)
        before_previous, previous_row = previous_row, row
    return previous_row[-1]


def _is_correction(old: str, new: str, dictionary: Dictionary) -> bool:
    if not old[:1].isalpha() or not new[:1].replace(" ", "").isalpha():
        return False
    if old[:1].isupper() and old.lower() != new.lower() and dictionary.is_known(old):
        return False  # a name or a sentence's first word, rewritten: not a correction
    if not dictionary.is_known(old):
        return dictionary.is_known(new) and distance(old.lower(), new.lower()) <= 2
    return new.lower() in CONFUSABLE.get(old.lower().replace("’", "'"), ())


def _cased(old: str, new: str) -> str:
    """`new` with `old`'s first letter's case: a correction does not restyle the word."""
    if old[:1].islower() and new[:1].isupper() and not new.isupper():
        return new[:1].lower() + new[1:]
    if old[:1].isupper() and new[:1].islower():
        return new[:1].upper() + new[1:]
    return new


def keep_local_edits(source: str, answer: str, dictionary: Dictionary) -> tuple[str, list[str]]:
    """The source with the answer's small corrections applied, and those corrections as
    "before→after"."""
    spans = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(source)]
    written = [m.group() for m in _TOKEN.finditer(answer)]
    matcher = difflib.SequenceMatcher(a=[w for _s, _e, w in spans], b=written, autojunk=False)
    changes: list[tuple[int, int, str, str]] = []  # (start, end, replacement, label)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "replace" and not (i2 - i1 == 1 and j2 - j1 == 2):
            # Words paired from the left and from the right of the changed stretch: a
            # rephrased sentence around a fixed typo still yields the fix.
            pairs = list(zip(range(i1, i2), range(j1, j2), strict=False))
            pairs += list(zip(range(i2 - 1, i1 - 1, -1), range(j2 - 1, j1 - 1, -1), strict=False))
            taken: set[int] = set()
            for i, j in pairs:
                start, end, old = spans[i]
                new = _cased(old, written[j])
                if i not in taken and _is_correction(old, new, dictionary):
                    taken.add(i)
                    changes.append((start, end, new, f"{old}→{new}"))
        elif tag == "replace" and not dictionary.is_known(spans[i1][2]):
            start, end, old = spans[i1]  # "alot" -> "a lot"
            joined = " ".join(written[j1:j2])
            if joined.replace(" ", "").lower() == old.lower():
                changes.append((start, end, joined, f"{old}→{joined}"))
        elif tag == "delete" and i2 - i1 == 1 and i1 > 0 and spans[i1][2].lower() == spans[i1 - 1][2].lower():
            start, end, old = spans[i1]
            changes.append((spans[i1 - 1][1], end, "", f"{old}→"))
        elif tag == "insert" and j2 - j1 == 1 and written[j1].lower() in ARTICLES and 0 < i1 < len(spans):
            start = spans[i1][0]
            changes.append((start, start, written[j1] + " ", f"→{written[j1]}"))
    text = source
    for start, end, replacement, _label in sorted(changes, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text, [label for *_span, label in sorted(changes)]
