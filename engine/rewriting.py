"""Choosing a rewrite that keeps every fact and is an answer, not talk about the task.

The first candidate is the greedy one, streamed to the writer as it is decoded. It is
kept when it holds every number, date, name and place of the source and is a real
answer. Otherwise a few sampled candidates are decoded (from the same cached prompt), and
then one rewritten sentence by sentence, where a sentence whose rewrite loses a fact or
is no answer stays as the writer wrote it (a small model keeps far more of a short
input). The best is chosen: a real answer first, then the fewest missing facts, then the
earliest (the greedy answer is the model's likeliest). Whatever is still missing is
reported, so the suggestion bar can say "drops: 450, Elena" before the writer accepts.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass

from engine.answer_check import non_answer
from engine.decoding import StopReason
from engine.facts import Fact, missing
from engine.generation import Generation

UNCHANGED = "unchanged"
CANDIDATES = 3  # the greedy answer and up to two sampled ones, before going sentence by sentence
SENTENCE_TRIES = 3  # per sentence, when rewriting sentence by sentence
_SENTENCE = re.compile(r"\S.*?(?:[.!?]+[\"'”’)]*(?=\s)|$)", re.DOTALL)
TEMPERATURE = 0.7
# Added to the logit of the next token of a fact not yet written, on every try after the
# greedy answer: enough to bring a fact back where the model hesitates, not to force it.
PULL_BIAS = 3.0


def min_share(style: str | None) -> float:
    """How much of the source's length a rewrite must keep to not count as cut short."""
    return 0.25 if style == "shorter" else 0.5


@dataclass(frozen=True)
class Choice:
    generation: Generation
    missing: list[Fact]
    problem: str | None  # why even the best candidate is not an answer
    tried: int


def _judge(
    source: str, generation: Generation, facts: list[Fact], share: float
) -> tuple[str | None, list[Fact]]:
    if " ".join(generation.text.split()) == " ".join(source.split()):
        return UNCHANGED, []  # the writer's own text back is no rewrite
    return non_answer(source, generation.text, min_share=share), missing(facts, generation.text)


def _rank(problem: str | None, lost: list[Fact]) -> tuple[bool, bool, int]:
    """Lower is better: an answer at all, then a change at all, then the fewest facts lost."""
    return (problem not in (None, UNCHANGED), problem == UNCHANGED, len(lost))


def choose(
    source: str,
    first: Generation,
    facts: list[Fact],
    another: Callable[[int], Generation],
    cancel: threading.Event,
    *,
    min_share: float,
    by_sentence: Callable[[], Generation] | None = None,
    candidates: int = CANDIDATES,
) -> Choice:
    """`another(seed)` decodes one more (sampled) candidate; `by_sentence()` the last one."""
    later: list[Callable[[], Generation]] = [lambda seed=seed: another(seed) for seed in range(1, candidates)]
    if by_sentence is not None:
        later.append(by_sentence)
    problem, lost = _judge(source, first, facts, min_share)
    best = Choice(first, lost, problem, 1)
    tried = 1
    for make in later:
        if (best.problem is None and not best.missing) or cancel.is_set():
            break
        candidate = make()
        tried += 1
        problem, lost = _judge(source, candidate, facts, min_share)
        if _rank(problem, lost) < _rank(best.problem, best.missing):
            best = Choice(candidate, lost, problem, tried)
    return Choice(best.generation, best.missing, best.problem, tried)


def sentences(text: str) -> list[tuple[str, str]]:
    """The text as (gap before, sentence) pairs; joined, they give the text back."""
    pairs, position = [], 0
    for match in _SENTENCE.finditer(text):
        pairs.append((text[position : match.start()], match.group()))
        position = match.end()
    if position < len(text):
        pairs.append((text[position:], ""))
    return pairs


def piecewise(
    source: str,
    facts_of: Callable[[str], list[Fact]],
    rewrite: Callable[[str, list[Fact], int], Generation],
    cancel: threading.Event,
    *,
    min_share: float,
    tries: int = SENTENCE_TRIES,
) -> Generation:
    """Each sentence rewritten on its own (`rewrite(sentence, facts, attempt)`, greedy first,
    then sampled); one that loses a fact or is no answer in every try is kept as written."""
    out: list[str] = []
    ids: list[int] = []
    for gap, sentence in sentences(source):
        if not sentence.strip() or cancel.is_set():
            out.append(gap + sentence)
            continue
        facts = facts_of(sentence)
        chosen = sentence
        for attempt in range(tries):
            if cancel.is_set():
                break
            generation = rewrite(sentence, facts, attempt)
            ids.extend(generation.token_ids)
            text = generation.text.strip()
            changed = " ".join(text.split()) != " ".join(sentence.split())
            answered = non_answer(sentence, text, min_share=min_share) is None
            if changed and answered and not missing(facts, text):
                chosen = text  # the sentence given back as it was is no rewrite: try again
                break
        out.append(gap + chosen)
    text = "".join(out)
    return Generation(text, text, tuple(ids), StopReason.END_OF_ANSWER, None, None)
