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
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from engine.fidelity import style_check
from engine.fidelity.answer_check import non_answer
from engine.fidelity.facts import Fact, missing
from engine.fidelity.verdict import Verdict, judge
from engine.generation.decoding import StopReason
from engine.generation.loops import Generation
from engine.jobs import is_unchanged

UNCHANGED = "unchanged"
CANDIDATES = 3  # the greedy answer and up to two sampled ones, before going sentence by sentence
SENTENCE_TRIES = 3  # per sentence, when rewriting sentence by sentence
# After this many seconds no new candidate is started: the best so far is offered (a
# writer waits about as long for a rewrite as for a page to load).
SECONDS = 3.5
OVERRUN = 0.3  # nor one that would end later than this after SECONDS, judged by the slowest so far
_SENTENCE = re.compile(r"\S.*?(?:[.!?]+[\"'”’)]*(?=\s)|$)", re.DOTALL)
TEMPERATURE = 0.7
ALIGN_AT_LEAST = 0.3  # shared words (of all in either) for a draft sentence to match an original
FOREIGN_AT_MOST = 0.2  # share of its words that only other originals have
# Added to the logit of the next token of a fact not yet written, on every try after the
# greedy answer: enough to bring a fact back where the model hesitates, not to force it.
PULL_BIAS = 3.0


ELABORATIONS = 2  # Expand: the writer's text with an added sentence or two, greedy then sampled


def token_budget(source_tokens: int, style: str | None) -> int:
    """How long a rewrite may run: a rewrite much longer than its source is rambling,
    and every token of it costs time on a laptop."""
    if style == "expand":
        return int(2.5 * source_tokens) + 48
    if style == "shorter":
        return source_tokens + 8
    return int(1.5 * source_tokens) + 24


def first_sentences(text: str, count: int) -> str:
    """The first `count` whole sentences of `text` (all of it when it has fewer)."""
    pieces = [sentence for _gap, sentence in sentences(text.strip()) if sentence.strip()]
    whole = [p for p in pieces if re.search(r"[.!?][\"'”’)]*$", p)]
    return " ".join(whole[:count]) if whole else ""


def closed_clause(text: str, at_least: int = 6) -> str:
    """A sentence the budget cut off, ended at its last comma ("They said the meeting
    moves to Friday, but they also" → "They said the meeting moves to Friday."); "" when
    too little stands before one."""
    head = text.strip().split("\n\n")[0]
    cut = head.rfind(", ")
    if cut < 0 or len(head[:cut].split()) < at_least:
        return ""
    return head[:cut].rstrip(",;: ") + "."


def min_share(style: str | None) -> float:
    """How much of the source's length a rewrite must keep to not count as cut short."""
    if style == "expand":
        return 1.0  # an "expanded" text shorter than the writer's is no expansion
    return 0.5


@dataclass(frozen=True)
class Choice:
    generation: Generation
    missing: list[Fact]
    problem: str | None  # why even the best candidate is not an answer
    tried: int
    verdict: Verdict = field(default_factory=Verdict)


_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_TALK = ("talks about the task", "talks about itself", "apologises", "a refusal")


def without_commentary(source: str, generation: Generation) -> Generation:
    """The answer without paragraphs the model added after it to talk about what it did
    ("This bulleted list provides…"), when the writer's text has fewer paragraphs: the
    answer itself is kept, the commentary is not offered."""
    text = generation.text
    paragraphs = _PARAGRAPH_BREAK.split(text)
    wanted = len(_PARAGRAPH_BREAK.split(source.strip()))
    kept = len(paragraphs)
    while kept > max(1, wanted) and non_answer(source, paragraphs[kept - 1], min_share=0.0) in _TALK:
        kept -= 1
    if kept == len(paragraphs):
        return generation
    ends = [match.start() for match in _PARAGRAPH_BREAK.finditer(text)]
    return replace(generation, text=text[: ends[kept - 1]].rstrip())


Judge = Callable[[str], Verdict]


# The styles a text can already have, as the bar says it ("already reads formal").
_ALREADY = {"formal": "formal", "casual": "casual", "clearer": "clear"}


def already(style: str | None, source: str) -> str | None:
    """The style's adjective when the writer's text already passes its check (no slang or
    contraction left for Formal, no stiff word for Casual, no wordy phrase or over-long
    sentence for Clearer): then no change is the right answer, not a failure. Shorter and
    Expand always ask for a change."""
    if style not in _ALREADY or style_check.check(style, source, source):
        return None
    return _ALREADY[style]


def _late(deadline: float | None) -> bool:
    """Past the time a writer waits for a rewrite: what is best so far is offered."""
    return deadline is not None and time.perf_counter() > deadline


def prefer(source: str, first: Choice, second: Choice) -> Choice:
    """The better of two choices by their verdicts; `first` on a tie. The writer's text
    given back is marked UNCHANGED."""
    a = _rank(first.verdict, is_unchanged(source, first.generation.text))
    b = _rank(second.verdict, is_unchanged(source, second.generation.text))
    best = second if b < a else first
    return replace(best, problem=UNCHANGED) if is_unchanged(source, best.generation.text) else best


def _rank(verdict: Verdict, unchanged: bool) -> tuple[bool, bool, int, bool, bool]:
    # A change that does not apply the style is worth no more than no change.
    """Lower is better: an answer at all, then nothing said that the writer did not say
    (no moves, additions, repeats or wrong language), then the fewest facts lost, then a
    change at all, then the style applied: a rewrite that keeps every fact but is not
    quite short enough (or the text as written) beats one that is short because it
    dropped some. An answer with problems is shown with them named; a non-answer never is."""
    styled = not verdict.style
    return (
        bool(verdict.non_answer),
        not verdict.clean,
        len(verdict.missing),
        not styled,
        unchanged and styled,
    )


def _settled(verdict: Verdict, unchanged: bool) -> bool:
    return verdict.clean and not unchanged and not verdict.style and not verdict.missing


def reason(verdict: Verdict, unchanged: bool = False) -> str:
    """Why an answer is being replaced, in words for the suggestion bar."""
    if verdict.non_answer:
        return f"was not an answer ({verdict.non_answer})"
    if verdict.language:
        return f"was {verdict.language}"
    if verdict.invented:
        numbers = [x for x in verdict.invented if x[:1].isdigit()]
        return "added a figure (" + numbers[0] + ")" if numbers else f"added {verdict.invented[0]}"
    if verdict.moved:
        return f"moved {verdict.moved[0]} to the wrong place"
    if verdict.repeated:
        return "repeated itself"
    if verdict.dropped:
        return f"left out a sentence ({verdict.dropped[0]})"
    if verdict.unsupported:
        return f"said what the text does not ({verdict.unsupported[0]})"
    if unchanged:
        return "changed nothing"
    if verdict.missing:
        return "dropped " + ", ".join(verdict.missing[:2])
    if verdict.style:
        return f"was {verdict.style}"
    return "was not the best"


def choose(
    source: str,
    first: Generation,
    facts: list[Fact],
    another: Callable[[int], Generation],
    cancel: threading.Event,
    *,
    min_share: float,
    by_sentence: Callable[[str], Generation] | None = None,
    candidates: int = CANDIDATES,
    judge_text: Judge | None = None,
    notice: Callable[[str], None] | None = None,
    deadline: float | None = None,
) -> Choice:
    """`another(seed)` decodes one more (sampled) candidate; `by_sentence(draft)` the last
    one, given the best answer so far (its sentences that keep their facts are reused).
    Every candidate is judged by `judge_text` (engine/fidelity/verdict.py); the first
    time the streamed answer is found wanting, `notice` says why before trying again."""
    verdict_of = judge_text or (lambda text: judge(source, text, facts=facts, min_share=min_share))

    def seeded(seed: int) -> Callable[[Choice], Generation]:
        return lambda _best: another(seed)

    later = [seeded(seed) for seed in range(1, candidates)]
    if by_sentence is not None:
        later.append(lambda best: by_sentence(best.generation.text if best.problem is None else ""))
    first = without_commentary(source, first)

    def assess(generation: Generation, tried: int) -> tuple[Choice, bool]:
        verdict = verdict_of(generation.text)
        unchanged = is_unchanged(source, generation.text)
        problem = UNCHANGED if unchanged else (verdict.non_answer or None)
        lost = [fact for fact in facts if fact.text in verdict.missing]
        return Choice(generation, lost, problem, tried, verdict), unchanged

    best, best_unchanged = assess(first, 1)
    tried = 1
    slowest = 0.0  # seconds the slowest candidate so far took: the next will take about as long
    for make in later:
        if _settled(best.verdict, best_unchanged) or cancel.is_set():
            break
        late = _late(deadline) or _late(None if deadline is None else deadline + OVERRUN - slowest)
        if late and not best.verdict.non_answer and not best_unchanged:  # late, but never without an answer
            break
        if tried == 1 and notice is not None:
            notice(f"The first answer {reason(best.verdict, best_unchanged)}; trying again…")
        began = time.perf_counter()
        candidate = without_commentary(source, make(best))
        slowest = max(slowest, time.perf_counter() - began)
        tried += 1
        choice, unchanged = assess(candidate, tried)
        if _rank(choice.verdict, unchanged) < _rank(best.verdict, best_unchanged):
            best, best_unchanged = choice, unchanged
    return replace(best, tried=tried)


def sentences(text: str) -> list[tuple[str, str]]:
    """The text as (gap before, sentence) pairs; joined, they give the text back."""
    pairs, position = [], 0
    for match in _SENTENCE.finditer(text):
        pairs.append((text[position : match.start()], match.group()))
        position = match.end()
    if position < len(text):
        pairs.append((text[position:], ""))
    return pairs


def _content(sentence: str) -> set[str]:
    return {word for word in re.findall(r"\w+", sentence.lower()) if len(word) > 2 or word.isdigit()}


def _similarity(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def align(originals: list[str], drafts: list[str]) -> dict[int, str]:
    """Each original sentence's counterpart in a whole rewrite: the draft sentence that is
    its closest match while it is also that draft sentence's closest original, and that
    says little only other originals say (a sentence that merged two, or a new one, is
    paired with none)."""
    if not originals or not drafts:
        return {}
    words_o, words_d = [_content(s) for s in originals], [_content(s) for s in drafts]
    scores = [[_similarity(o, d) for d in words_d] for o in words_o]
    pairs: dict[int, str] = {}
    for i, row in enumerate(scores):
        j = max(range(len(drafts)), key=row.__getitem__)
        if row[j] < ALIGN_AT_LEAST or max(range(len(originals)), key=lambda k: scores[k][j]) != i:
            continue
        others = set().union(*(words for k, words in enumerate(words_o) if k != i)) - words_o[i]
        if len(words_d[j] & others) <= FOREIGN_AT_MOST * len(words_d[j]):  # not a merge of several
            pairs[i] = drafts[j]
    return pairs


def piecewise(
    source: str,
    facts_of: Callable[[str], list[Fact]],
    rewrite: Callable[[str, list[Fact], int], Generation],
    cancel: threading.Event,
    *,
    min_share: float,
    tries: int = SENTENCE_TRIES,
    draft: str = "",
    as_written: Callable[[str], str] | None = None,
    deadline: float | None = None,
) -> Generation:
    """Each sentence rewritten on its own (`rewrite(sentence, facts, attempt)`, greedy first,
    then sampled); one that loses a fact or is no answer in every try is kept as written.
    A sentence of `draft` (the best whole rewrite so far) that matches one sentence and
    keeps its facts is taken first, without asking the model again. `as_written` is what
    a sentence that cannot be rewritten cleanly becomes (proofread, for a formal rewrite,
    so its grammar errors do not survive)."""
    out: list[str] = []
    ids: list[int] = []
    pieces = sentences(source)
    originals = [sentence for _gap, sentence in pieces if sentence.strip()]
    counterpart = align(originals, [s for _gap, s in sentences(draft) if s.strip()])
    index = -1
    for gap, sentence in pieces:
        if not sentence.strip() or cancel.is_set() or _late(deadline):
            out.append(gap + sentence)
            continue
        index += 1
        facts = facts_of(sentence)
        chosen = as_written(sentence) if as_written is not None else sentence

        def fits(text: str, sentence: str = sentence, facts: list[Fact] = facts) -> bool:
            changed = " ".join(text.split()) != " ".join(sentence.split())
            answered = non_answer(sentence, text, min_share=min_share) is None
            if not (changed and answered and not missing(facts, text)):
                return False
            return judge(sentence, text, facts=facts, min_share=min_share).clean

        if index in counterpart and fits(counterpart[index]):
            out.append(gap + counterpart[index])
            continue
        for attempt in range(tries):
            if cancel.is_set() or (attempt and _late(deadline)):
                break
            generation = rewrite(sentence, facts, attempt)
            ids.extend(generation.token_ids)
            text = generation.text.strip()
            if fits(text):
                chosen = text  # the sentence given back as it was is no rewrite: try again
                break
        out.append(gap + chosen)
    text = "".join(out)
    return Generation(text, text, tuple(ids), StopReason.END_OF_ANSWER, None, None)
