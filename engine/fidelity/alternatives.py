"""Other answers to compare with the chosen one: sampled from the same prompt, each held
to the same verdict, and only the clean, different ones offered.

A writer deciding between "The council approved the plan" and "The plan was approved by
the council" wants both side by side, but never an alternative that moved a date or
invented a figure: the verdict that chose the first answer judges every other one, and
an answer that reads the same as one already kept (spacing and case aside) is not a
second option.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterable

from engine.fidelity.lexicon import lexicon
from engine.fidelity.verdict import Verdict, content_words, style_words

KEEPS_AT_LEAST = 2 / 3  # of the writer's own words (style words aside), an alternative keeps this share
OWN_AT_MOST = 0.3  # and of its own words, at most this share is new (not for Expand)
TRIES_PER_ALTERNATIVE = 3  # sampled answers decoded for each alternative wanted, at most
FIRST_SEED = 1000  # apart from the seeds the choice of the first answer sampled with


def offerable(verdict: Verdict) -> bool:
    """Clean, in the style asked for, and keeping every fact: what the chosen answer needs."""
    return verdict.clean and not verdict.style and not verdict.missing


def close_to(source: str, text: str, style: str | None = None) -> bool:
    """An alternative says what the writer's text says, in other words: it keeps two
    thirds of the text's own words (stems, synonyms and the style lists' counterparts
    count: "tmrw" is kept by "tomorrow") and brings in few of its own. Sampled answers
    are held to this on top of the verdict, which the chosen answer passes alone: a
    formal sample that began "It has been reported that…" and one that turned "late
    tmrw cause the bus broke down" into "late to the bus" had clean verdicts."""
    padding = _padding()
    theirs = content_words(source) - padding
    ours = content_words(text) - padding
    if not theirs or not ours:
        return True
    counterparts = _counterparts()
    kept = {word for word in theirs if word in ours or counterparts.get(word, set()) & ours}
    if len(kept) < KEEPS_AT_LEAST * len(theirs):
        return False
    said = theirs | set().union(*(counterparts.get(word, set()) for word in theirs)) | style_words()
    return style == "expand" or len(ours - said) <= OWN_AT_MOST * len(ours)


@functools.cache
def _padding() -> frozenset[str]:
    """Fillers, hedges and asides: words that say nothing a rewrite must keep."""
    lex = lexicon()
    return frozenset(content_words(" ".join([*lex.fillers, *lex.hedges, *lex.asides])))


@functools.cache
def _counterparts() -> dict[str, set[str]]:
    """Each word of the style lists with the words it stands for, both ways ("tmrw" and
    "tomorrow", "utilize" and "use")."""
    lex = lexicon()
    out: dict[str, set[str]] = {}
    for table in (lex.contractions, lex.slang, lex.informal, lex.formal_words, lex.wordy, lex.concise):
        for key, values in table.items():
            left = content_words(key)
            right = content_words(" ".join(values))
            for word in left:
                out.setdefault(word, set()).update(right)
            for word in right:
                out.setdefault(word, set()).update(left)
    return out


def _key(text: str) -> str:
    return " ".join(text.casefold().split()).rstrip(".!?")


def gather(
    chosen: str,
    source: str,
    decoded: Iterable[str],
    sample: Callable[[int], str],
    judge: Callable[[str], Verdict],
    wanted: int,
    cancel: threading.Event,
    close: Callable[[str], bool] = lambda _text: True,
) -> list[tuple[str, Verdict]]:
    """Up to `wanted` answers, the chosen one first: the candidates already `decoded`
    while choosing, then samples (`sample(seed)`), each kept when its verdict is
    offerable, it is `close` to the source and it differs from the writer's `source` and
    every answer kept."""
    kept = [(chosen, judge(chosen))]
    seen = {_key(chosen), _key(source)}

    def consider(text: str) -> None:
        key = _key(text)
        if not text.strip() or key in seen:
            return
        seen.add(key)
        if not close(text):
            return
        verdict = judge(text)
        if offerable(verdict):
            kept.append((text, verdict))

    for text in decoded:
        if len(kept) >= wanted or cancel.is_set():
            break
        consider(text)
    for tried in range(TRIES_PER_ALTERNATIVE * wanted):
        if len(kept) >= wanted or cancel.is_set():
            break
        consider(sample(FIRST_SEED + tried))
    return kept[:wanted]
