"""Other answers to compare with the chosen one: sampled from the same prompt, each held
to the same verdict, and only the clean, different ones offered.

A writer deciding between "The council approved the plan" and "The plan was approved by
the council" wants both side by side, but never an alternative that moved a date or
invented a figure: the verdict that chose the first answer judges every other one, and
an answer that reads the same as one already kept (spacing and case aside) is not a
second option.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

from engine.fidelity.verdict import Verdict

TRIES_PER_ALTERNATIVE = 3  # sampled answers decoded for each alternative wanted, at most
FIRST_SEED = 1000  # apart from the seeds the choice of the first answer sampled with


def offerable(verdict: Verdict) -> bool:
    """Clean, in the style asked for, and keeping every fact: what the chosen answer needs."""
    return verdict.clean and not verdict.style and not verdict.missing


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
) -> list[tuple[str, Verdict]]:
    """Up to `wanted` answers, the chosen one first: the candidates already `decoded`
    while choosing, then samples (`sample(seed)`), each kept when its verdict is
    offerable and it differs from the writer's `source` and every answer kept."""
    kept = [(chosen, judge(chosen))]
    seen = {_key(chosen), _key(source)}

    def consider(text: str) -> None:
        key = _key(text)
        if not text.strip() or key in seen:
            return
        seen.add(key)
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
