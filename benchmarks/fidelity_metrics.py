"""How the fidelity benchmark seeds errors and judges answers, apart from any engine code.

The judge must not share code with what it judges: the seeded errors, the word alignment,
the fact check and the non-answer check here are written for the benchmark alone (the
engine has its own detectors; agreeing with itself would prove nothing).
"""

from __future__ import annotations

import difflib
import random
import re
from dataclasses import dataclass

TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|\S")

SWAPS: dict[str, tuple[str, ...]] = {
    "their": ("there",),
    "there": ("their",),
    "its": ("it's",),
    "it's": ("its",),
    "to": ("too",),
    "too": ("to",),
    "then": ("than",),
    "than": ("then",),
    "your": ("you're",),
}
AGREEMENT: dict[str, str] = {
    "is": "are",
    "are": "is",
    "was": "were",
    "were": "was",
    "has": "have",
    "have": "has",
}
ARTICLES = {"the", "a", "an"}
KINDS = ("typo", "confusable", "agreement", "doubled", "article")
KEYBOARD = {
    "a": "sq", "b": "vn", "c": "xv", "d": "sf", "e": "wr", "f": "dg", "g": "fh", "h": "gj", "i": "uo",
    "j": "hk", "k": "jl", "l": "k", "m": "n", "n": "bm", "o": "ip", "p": "o", "q": "w", "r": "et",
    "s": "ad", "t": "ry", "u": "yi", "v": "cb", "w": "qe", "x": "zc", "y": "tu", "z": "x",
}  # fmt: skip


@dataclass(frozen=True)
class SeededError:
    index: int  # the clean token it concerns
    kind: str
    clean: str
    noisy: str


@dataclass(frozen=True)
class Seeded:
    clean: str
    noisy: str
    errors: tuple[SeededError, ...]


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text)


def _typo(word: str, rng: random.Random, known: set[str]) -> str | None:
    for _ in range(20):
        i = rng.randrange(1, len(word) - 1)
        how = rng.choice(("swap", "drop", "double", "key"))
        if how == "swap" and word[i] != word[i + 1]:
            out = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        elif how == "drop":
            out = word[:i] + word[i + 1 :]
        elif how == "double":
            out = word[:i] + word[i] + word[i:]
        elif how == "key" and word[i].lower() in KEYBOARD:
            out = word[:i] + rng.choice(KEYBOARD[word[i].lower()]) + word[i + 1 :]
        else:
            continue
        if out.lower() not in known and out != word:
            return out
    return None


def seed_errors(text: str, count: int, rng: random.Random, known: set[str], protected: set[str]) -> Seeded:
    """`count` errors of mixed kinds at distinct, non-adjacent words of `text`."""
    spans = [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text)]
    used: set[int] = set()
    edits: list[tuple[int, str, str]] = []  # (token index, kind, noisy replacement of the token)
    kinds = list(KINDS)
    rng.shuffle(kinds)
    attempts = 0
    while len(edits) < count and attempts < 200:
        attempts += 1
        kind = kinds[(len(edits) + attempts) % len(kinds)]
        order = list(range(len(spans)))
        rng.shuffle(order)
        for index in order:
            if index in used or index - 1 in used or index + 1 in used:
                continue
            word = spans[index][2]
            lower = word.lower()
            if not word[:1].isalpha() or word in protected:
                continue
            noisy = None
            if kind == "typo" and len(word) >= 4 and word.isalpha() and word.islower():
                noisy = _typo(word, rng, known)
            elif kind == "confusable" and lower in SWAPS and word.islower():
                noisy = rng.choice(SWAPS[lower])
            elif kind == "agreement" and lower in AGREEMENT and word.islower():
                noisy = AGREEMENT[lower]
            elif kind == "doubled" and word.islower() and len(word) <= 6 and index > 0:
                noisy = f"{word} {word}"
            elif kind == "article" and lower in ARTICLES and word.islower() and index > 0:
                noisy = ""
            if noisy is None:
                continue
            edits.append((index, kind, noisy))
            used.add(index)
            break
    pieces, position = [], 0
    errors = []
    for index, kind, noisy in sorted(edits):
        start, end, word = spans[index]
        if noisy == "":  # drop the article and the space after it
            pieces.append(text[position:start])
            position = end + 1 if text[end : end + 1] == " " else end
        else:
            pieces.append(text[position:start] + noisy)
            position = end
        errors.append(SeededError(index, kind, word, noisy))
    pieces.append(text[position:])
    return Seeded(text, "".join(pieces), tuple(errors))


@dataclass(frozen=True)
class ProofreadScore:
    fixed: int
    errors: int
    damaged: int
    correct: int
    by_kind: dict[str, tuple[int, int]]


def score_proofread(seeded: Seeded, answer: str) -> ProofreadScore:
    """Align the answer's tokens with the clean text's: an error is fixed when its clean
    token is matched and nothing extra sits next to it; every other unmatched or added
    token counts as damage to a correct word."""
    clean, out = tokens(seeded.clean), tokens(answer)
    matcher = difflib.SequenceMatcher(a=clean, b=out, autojunk=False)
    matched = [False] * len(clean)
    inserted_at: dict[int, int] = {}  # clean position -> output tokens added before it
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for i in range(i1, i2):
                matched[i] = True
        else:
            extra = (j2 - j1) - (i2 - i1)
            if extra > 0:
                inserted_at[i1] = inserted_at.get(i1, 0) + extra
    error_at = {e.index for e in seeded.errors}
    near_error = {i + d for i in error_at for d in (0, 1)}
    fixed = 0
    by_kind: dict[str, tuple[int, int]] = {}
    for error in seeded.errors:
        ok = (
            matched[error.index] and not inserted_at.get(error.index) and not inserted_at.get(error.index + 1)
        )
        fixed += ok
        got, total = by_kind.get(error.kind, (0, 0))
        by_kind[error.kind] = (got + ok, total + 1)
    damaged = sum(1 for i, m in enumerate(matched) if not m and i not in error_at)
    damaged += sum(n for i, n in inserted_at.items() if i not in near_error)
    return ProofreadScore(fixed, len(seeded.errors), damaged, len(clean) - len(error_at), by_kind)


def facts_kept(facts: list[str], answer: str) -> list[str]:
    """The facts found in the answer: whole words, case-insensitive; "2,350" also as "2350"."""
    lowered = answer.lower()
    found = []
    for fact in facts:
        forms = {fact.lower(), fact.lower().replace(",", "")}
        if any(re.search(rf"(?<![\w.,]){re.escape(form)}(?![\w]|[.,]\d)", lowered) for form in forms):
            found.append(fact)
    return found


_NON_ANSWER = re.compile(
    r"^\s*(?:sure|certainly|of course|okay|here is|here's|below is|i'm sorry|i am sorry|i cannot|i can't|"
    r"as an ai|as a writing assistant|the (?:rewritten|corrected|revised|proofread|text|original|correct)|"
    r"rewrite|fix the|proofread|translate)\b"
    r"|\b(?:i'm sorry|as a writing assistant|as an ai|the rewritten text|the corrected text|the text is|"
    r"rewritten text|spelling and grammar|the original text)\b",
    re.IGNORECASE,
)


def non_answer(source: str, answer: str, *, shorter: bool = False) -> str | None:
    """Why the answer is not the text asked for, or None: empty, a preamble or refusal, talk
    about the task, the prompt echoed, or cut short."""
    if not answer.strip():
        return "empty"
    if _NON_ANSWER.search(answer):
        return "talks about the task"
    words_in, words_out = len(source.split()), len(answer.split())
    if words_out < (0.25 if shorter else 0.5) * words_in:
        return "cut short"
    return None


def repeated_sentences(text: str) -> int:
    """Sentences of four words or more that appear again later in the same text."""
    sentences = [re.sub(r"\W+", " ", s).strip().lower() for s in re.split(r"(?<=[.!?])\s+", text)]
    seen: set[str] = set()
    repeats = 0
    for sentence in sentences:
        if len(sentence.split()) < 4:
            continue
        repeats += sentence in seen
        seen.add(sentence)
    return repeats
