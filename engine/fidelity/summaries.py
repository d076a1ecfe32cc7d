"""Summaries that cannot loop or invent: the source's own sentences, chosen, each linked
to where it came from.

A 135M model asked to summarise repeats one sentence 28 times, or opens with a year and
two towns the text never names. Choosing sentences cannot do either. Each sentence is
scored by how central it is (its similarity to the rest, as in TextRank's degree form)
and where it stands (a text's and a paragraph's first sentences carry its point), then
sentences are taken best first while they add something new (maximal marginal
relevance) until the length budget is spent, and given back in the text's order. A long
text is mapped (each part of it extracted alone) and reduced (chosen among the
extracts), so the cost grows with the length and a 40,000-word text is read in parts.

A model-written summary (a bigger local model, a server) is a candidate only when the
verdict finds nothing invented or repeated and every sentence of it is supported by the
source; its sentences are linked to the source sentences that support them.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from engine.documents import cjk
from engine.errors import InputError
from engine.fidelity.verdict import judge, stem

MAX_WORDS = 500  # any text: about a page
SHARE = 0.3  # of the text's words, aiming under the 0.4 ceiling with whole sentences
SHORT_TEXT = 150  # below this, one or two sentences
PART_SENTENCES = 120  # map: parts of about this many sentences are extracted alone
LAMBDA = 0.7  # MMR: relevance against novelty
SUPPORTED_AT_LEAST = 0.6  # share of a model sentence's content words one or two source sentences hold

# A full stop inside a word or number ("4.95", "e.g.x") is no sentence end; 。 always is.
_SPLIT = re.compile(
    r"(?:[^.!?。！？\n]|[.!?](?=[^\s.!?。！？\"'”’)」』]))+(?:[.!?。！？]+[\"'”’)」』]*|(?=\n)|$)"
)
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s|^\s*(?:```|~~~|\|)")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_STOP = {
    "the", "a", "an", "and", "or", "but", "of", "to", "in", "on", "at", "by", "for", "with",
    "from", "is", "are", "was", "were", "be", "been", "it", "its", "this", "that", "these",
    "those", "as", "not", "no", "has", "have", "had", "will", "would", "can", "could", "they",
    "their", "he", "she", "his", "her", "we", "our", "you", "your", "i", "which", "who",
    "what", "there", "than", "then", "so", "if", "into", "also", "all", "more", "one",
}  # fmt: skip


@dataclass(frozen=True)
class SourceSentence:
    start: int
    end: int
    text: str
    paragraph_first: bool


@dataclass(frozen=True)
class SummarySentence:
    """A sentence of the summary and the source spans it came from (character offsets)."""

    start: int  # in the summary
    end: int
    sources: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Summary:
    text: str
    sentences: tuple[SummarySentence, ...]
    method: str  # "extract" or "model"


def words(text: str) -> int:
    return cjk.count_words(text)


def split(text: str, *, prose_only: bool = True) -> list[SourceSentence]:
    """The text's sentences with their offsets; headings, code and table rows are left out
    (they are not prose to quote), and so are fragments of fewer than four words."""
    out: list[SourceSentence] = []
    paragraph_start = True
    fenced = False
    for line_match in re.finditer(r"[^\n]*\n?", text):
        line = line_match.group()
        if not line:
            break
        if re.match(r"^\s*(?:```|~~~)", line):
            fenced = not fenced
            continue
        if not line.strip():
            paragraph_start = True
            continue
        if prose_only and (fenced or _HEADING.match(line)):
            paragraph_start = True
            continue
        base = line_match.start()
        for match in _SPLIT.finditer(line):
            piece = match.group()
            stripped = piece.strip()
            if not stripped:
                continue
            lead = len(piece) - len(piece.lstrip())
            start = base + match.start() + lead
            sentence = SourceSentence(start, start + len(stripped), stripped, paragraph_start)
            paragraph_start = False
            if words(stripped) >= 4:
                out.append(sentence)
    return out


def features(text: str) -> Counter[str]:
    """Content stems (or character pairs of CJK text) of a sentence."""
    if cjk.has_cjk(text):
        chars = [c for c in text if cjk.HAN_KANA_CHAR.match(c)]
        grams: Counter[str] = Counter(a + b for a, b in itertools.pairwise(chars))
        grams.update(w.lower() for w in _WORD.findall(cjk.HAN_KANA_CHAR.sub(" ", text)) if w.isascii())
        return grams
    return Counter(
        stem(w) for w in _WORD.findall(text.lower()) if (w not in _STOP and len(w) > 2) or w.isdigit()
    )


def _weights(bags: list[Counter[str]]) -> list[dict[str, float]]:
    df: Counter[str] = Counter()
    for bag in bags:
        df.update(bag.keys())
    n = len(bags)
    vectors = []
    for bag in bags:
        vector = {term: (1 + math.log(count)) * math.log(1 + n / df[term]) for term, count in bag.items()}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        vectors.append({term: v / norm for term, v in vector.items()})
    return vectors


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(term, 0.0) for term, v in a.items())


def _select(sentences: list[SourceSentence], budget: int, most: int | None = None) -> list[SourceSentence]:
    """Sentences best first by centrality and position, each adding something new, up to
    `budget` words (and `most` sentences); in the text's order."""
    if not sentences:
        return []
    vectors = _weights([features(s.text) for s in sentences])
    n = len(sentences)
    centrality = [
        sum(_cosine(vectors[i], vectors[j]) for j in range(n) if j != i) / max(1, n - 1) for i in range(n)
    ]
    top = max(centrality) or 1.0
    relevance = []
    for i, sentence in enumerate(sentences):
        position = 0.15 if i == 0 else (0.05 if sentence.paragraph_first else 0.0)
        length = words(sentence.text)
        fit = 1.0 if 8 <= length <= 40 else 0.8  # very short or very long sentences summarise poorly
        relevance.append((centrality[i] / top + position) * fit)
    chosen: list[int] = []
    used = 0
    candidates = set(range(n))
    while candidates and (most is None or len(chosen) < most):

        def gain(i: int) -> float:
            novelty = max((_cosine(vectors[i], vectors[j]) for j in chosen), default=0.0)
            return LAMBDA * relevance[i] - (1 - LAMBDA) * novelty

        best = max(candidates, key=gain)
        candidates.discard(best)
        length = words(sentences[best].text)
        if chosen and used + length > budget:
            continue  # too long for what is left: a shorter one may still fit
        if not chosen and length > budget and any(words(sentences[i].text) <= budget for i in candidates):
            continue
        if chosen and max(_cosine(vectors[best], vectors[j]) for j in chosen) > 0.8:
            continue  # says what a chosen one says
        chosen.append(best)
        used += length
    return [sentences[i] for i in sorted(chosen)]


def budget_for(total: int, asked: int | None = None) -> tuple[int, int | None]:
    """Words (and, for short texts, sentences) a summary of `total` words may take."""
    if asked:
        return asked, None
    if total < SHORT_TEXT:
        return max(12, int(total * 0.5)), 2
    return min(MAX_WORDS, max(40, int(total * SHARE))), None


def extract(text: str, asked_words: int | None = None) -> Summary:
    """The extractive summary of `text`, each sentence with its source span."""
    sentences = split(text) or split(text, prose_only=False)  # a text of headings or code only
    if not sentences:
        raise InputError("There is nothing to summarize in this text: it has no sentences.")
    budget, most = budget_for(words(text), asked_words)
    if len(sentences) > PART_SENTENCES:  # map: each part extracted alone, then reduce
        parts = [sentences[i : i + PART_SENTENCES] for i in range(0, len(sentences), PART_SENTENCES)]
        pool = [s for part in parts for s in _select(part, max(60, 2 * budget * len(part) // len(sentences)))]
        chosen = _select(pool, budget, most)
    else:
        chosen = _select(sentences, budget, most)
    return _assemble([(s.text, ((s.start, s.end),)) for s in chosen], "extract")


def _assemble(pieces: Sequence[tuple[str, tuple[tuple[int, int], ...]]], method: str) -> Summary:
    parts: list[str] = []
    spans: list[SummarySentence] = []
    position = 0
    for index, (sentence, sources) in enumerate(pieces):
        gap = "" if index == 0 else ("" if cjk.has_cjk(sentence[:1]) else " ")
        position += len(gap)
        parts.append(gap + sentence)
        spans.append(SummarySentence(position, position + len(sentence), sources))
        position += len(sentence)
    return Summary("".join(parts), tuple(spans), method)


def support(text: str, sentence: str, source_sentences: list[SourceSentence]) -> tuple[tuple[int, int], ...]:
    """The one or two source sentences that hold most of `sentence`'s content words, when
    together they hold at least SUPPORTED_AT_LEAST of them; () when nothing does."""
    wanted = set(features(sentence))
    if not wanted or not source_sentences:
        return ()
    bags = [set(features(s.text)) for s in source_sentences]
    order = sorted(range(len(bags)), key=lambda i: len(wanted & bags[i]), reverse=True)
    first = order[0]
    covered = wanted & bags[first]
    picked = [first]
    if len(covered) < SUPPORTED_AT_LEAST * len(wanted) and len(order) > 1:
        second = max(order[1:], key=lambda i: len(wanted & (bags[i] | bags[first])))
        covered = wanted & (bags[first] | bags[second])
        picked.append(second)
    if len(covered) < SUPPORTED_AT_LEAST * len(wanted):
        return ()
    return tuple((source_sentences[i].start, source_sentences[i].end) for i in sorted(picked))


def from_model(text: str, answer: str, asked_words: int | None = None) -> tuple[Summary | None, str]:
    """A model's summary as a candidate: its sentences linked to their support, or None
    and why not (invented, repeated, unsupported, too long, wrong language)."""
    verdict = judge(text, answer, operation="summarize")
    if not verdict.clean:
        return None, "; ".join(verdict.problems())
    budget, _most = budget_for(words(text), asked_words)
    if words(answer) > max(budget, 1) * 1.1:
        return None, f"too long: {words(answer)} words"
    source_sentences = split(text)
    pieces = []
    for sentence in [s.strip() for s in _SPLIT.findall(answer) if s.strip()]:
        sources = support(text, sentence, source_sentences)
        if not sources:
            return None, f"not supported by the text: {sentence[:60]}"
        pieces.append((sentence, sources))
    if not pieces:
        return None, "empty"
    return _assemble(pieces, "model"), ""
