"""Answers to a question about a draft, each tied to the paragraphs it came from.

Chat tools answer from the model's memory, or from retrieved chunks they do not show.
A writer asking "when does the work start?" about their own draft needs the sentence
that says so and where it stands. So the paragraphs are ranked for the question with
BM25 (`rank-bm25`), and the answer is the sentence of the best paragraphs that covers
the question best, quoted as written: it cannot invent a figure, and its source is
exact. A question whose words the document does not hold, or whose kind of answer
("when": a date, "how many": a number, "who": a name) no matching sentence gives, is
answered "I found nothing about that in this document" instead of a guess.

The operation's prompt (`resources/prompts.toml`, [operations.ask]) takes the ranked
paragraphs numbered (`numbered`), for a server or a bigger model to write a fuller
answer from; the bundled model answers by quoting.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from rank_bm25 import BM25Okapi

from engine.asking.paragraphs import Paragraph, split
from engine.documents import cjk
from engine.fidelity import summaries
from engine.fidelity.facts import MONTHS, WEEKDAYS
from engine.fidelity.verdict import canonical

NOT_FOUND = "I found nothing about that in this document."
PARAGRAPHS = 3  # the best paragraphs whose sentences may answer
COVERED_AT_LEAST = 0.5  # of the question's weight (idf) the answering sentence must hold
UNSEEN = 1.5  # a question's word the document never writes, against its rarest word

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_QUESTION_WORDS = {
    "what", "when", "where", "who", "whom", "whose", "which", "why", "how", "does", "did", "do",
    "is", "are", "was", "were", "will", "would", "can", "could", "should", "the", "a", "an", "of",
    "to", "in", "on", "at", "for", "by", "with", "from", "and", "or", "it", "its", "this", "that",
    "there", "they", "their", "i", "my", "me", "we", "our", "you", "your", "document", "text",
    "draft", "say", "says", "said", "mention", "mentioned", "tell", "about", "many", "much",
    "has", "have", "had", "be", "been", "as", "than", "so", "any", "some", "all", "not", "no",
}  # fmt: skip
_NUMBER = re.compile(r"\d")
_DATE_WORDS = set(MONTHS) | set(WEEKDAYS) | {
    "spring", "summer", "autumn", "fall", "winter", "today", "tomorrow", "yesterday", "week",
    "month", "year", "morning", "evening", "night", "noon", "midnight",
}  # fmt: skip
_NAME_INSIDE = re.compile(r"(?<=[\w,;:] )[A-Z][a-z]+")
# Capitalised only because a sentence starts with them: "Anna brings" names someone, "The" does not.
_STARTERS = _QUESTION_WORDS | {
    "after", "before", "since", "until", "if", "most", "many", "every", "each", "last", "next",
    "these", "those", "here", "then", "now", "today", "yesterday", "tomorrow", "she", "he", "her",
    "his", "its", "one", "two", "three", "our", "we", "you", "they", "but", "so", "yet", "also",
}  # fmt: skip
_TIME = re.compile(r"\b1[5-9]\d\d\b|\b20\d\d\b|\d[:.]\d\d|\d\s?[ap]m\b")


@dataclass(frozen=True)
class Source:
    """Where an answer came from: the paragraph's number and the quoted span's offsets."""

    paragraph: int
    start: int
    end: int


@dataclass(frozen=True)
class Answer:
    text: str
    sources: tuple[Source, ...]
    found: bool
    paragraphs: tuple[int, ...] = ()  # the retrieved paragraphs, best first


def terms(text: str) -> list[str]:
    """The words that carry a question's or a paragraph's meaning, stemmed and with
    synonyms joined ("begins" and "starts" are one term)."""
    if cjk.has_cjk(text):  # no spaces between words: pairs of characters, as summaries do
        return list(summaries.features(text).elements())
    return [
        _joined(canonical(w)) for w in _WORD.findall(text.lower()) if w not in _QUESTION_WORDS and len(w) > 1
    ]


def _joined(term: str) -> str:
    """ "raise" and "raised" as one term: the stem keeps one's final e and not the other's."""
    return term[:-1] if len(term) > 4 and term.endswith("e") and not term.startswith("#") else term


def question_terms(question: str) -> list[str]:
    """A question's terms less the words that only name the kind of answer it wants
    ("what time", "how long", "the date of"): the document says "at 7:30", not "time"."""
    return terms(_KIND_WORDS.sub(" ", question))


_KIND_WORDS = re.compile(
    r"\b(?:what|which)\s+(?:time|date|day|month|year|number|amount|percentage|share)\b"
    r"|\bhow\s+(?:long|far|often|old|big)\b|\bthe\s+(?:date|time|year|name)\s+of\b",
    re.IGNORECASE,
)


def _kind(question: str) -> str:
    """What kind of answer the question wants: "date", "number", "name" or "" (any)."""
    lowered = question.lower().strip()
    if re.search(
        r"^when\b|\b(?:what|which) (?:date|day|month|year|time)\b|\bthe (?:date|time|year) of\b", lowered
    ):
        return "date"
    if re.search(r"\bhow (?:many|much|long|far|big|often|old)\b", lowered) or re.search(
        r"\bwhat (?:percentage|share|number|amount|price|cost)\b", lowered
    ):
        return "number"
    if re.match(r"(?:who|whom|whose)\b", lowered):
        return "name"
    return ""


def _gives(kind: str, sentence: str) -> bool:
    if kind == "number":
        return _NUMBER.search(sentence) is not None or any(
            w in ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "dozen", "hundred")
            for w in sentence.lower().split()
        )
    if kind == "date":
        words = {w.lower() for w in _WORD.findall(sentence)}
        return bool(words & _DATE_WORDS) or _TIME.search(sentence) is not None
    if kind == "name":
        first = _WORD.match(sentence.strip())
        named_first = (
            first is not None and first.group()[:1].isupper() and first.group().lower() not in _STARTERS
        )
        return _NAME_INSIDE.search(sentence) is not None or named_first
    return True


class Retriever:
    """The document's paragraphs, ranked for a question by BM25 over their terms (and
    their heading's)."""

    def __init__(self, document: str) -> None:
        self.document = document
        self.paragraphs = [p for p in split(document) if not p.is_heading]
        corpus = [terms(p.text) + terms(p.heading) for p in self.paragraphs]
        self._bm25 = BM25Okapi(corpus) if any(corpus) else None
        self._known = {term for words in corpus for term in words}
        self._terms = [set(words) for words in corpus]
        # A term the document never writes weighs more than its rarest: a question about
        # "marketing" in a draft that never says it cannot be answered by its other words.
        rarest = max((float(v) for v in self._bm25.idf.values()), default=1.0) if self._bm25 else 1.0
        self._unseen = UNSEEN * max(rarest, math.log(2))

    def weight(self, term: str) -> float:
        if self._bm25 is None or term not in self._known:
            return self._unseen
        return max(float(self._bm25.idf.get(term, 0.0)), 0.05)

    def rank(self, question: str, count: int = PARAGRAPHS) -> list[Paragraph]:
        wanted = question_terms(question)
        if self._bm25 is None or not wanted:
            return []
        scores = self._bm25.get_scores(wanted)
        # BM25's weights turn negative for a word in most paragraphs (in a one-paragraph
        # text, every word): a paragraph is a candidate when it holds a word of the question.
        holding = [i for i, words in enumerate(self._terms) if words & set(wanted)]
        order = sorted(holding, key=lambda i: (-scores[i], i))
        return [self.paragraphs[i] for i in order[:count]]


_REFERS_BACK = re.compile(
    r"\b(?:it|its|they|them|their|that|this|those|these|there|he|she|him|her)\b"
    r"|^\s*(?:and|what about|how about)\b",
    re.IGNORECASE,
)


def answer(document: str, question: str, retriever: Retriever | None = None, previous: str = "") -> Answer:
    """The sentence of the document that answers `question` best, with its source; or
    NOT_FOUND when none covers enough of the question. A follow-up that refers back ("and
    when does it finish?") is ranked with the `previous` question's words too."""
    retriever = retriever or Retriever(document)
    follows = bool(previous.strip()) and _REFERS_BACK.search(question) is not None
    ranked = retriever.rank(f"{question} {previous}" if follows else question)
    wanted = list(dict.fromkeys(question_terms(question)))
    if not ranked or not wanted:
        return Answer(NOT_FOUND, (), False, tuple(p.number for p in ranked))
    total = sum(retriever.weight(t) for t in wanted)
    kind = _kind(question)
    best: tuple[float, int, Source, str] | None = None
    for rank, paragraph in enumerate(ranked):
        context = set(terms(paragraph.heading))
        for sentence in summaries.split(paragraph.text, prose_only=False) or []:
            has = set(terms(sentence.text)) | context
            covered = sum(retriever.weight(t) for t in wanted if t in has) / total
            if not _gives(kind, sentence.text):
                continue
            score = covered - 0.02 * rank  # the better paragraph wins a tie
            offset = paragraph.start
            source = Source(paragraph.number, offset + sentence.start, offset + sentence.end)
            if best is None or score > best[0]:
                best = (score, rank, source, sentence.text)
    numbers = tuple(p.number for p in ranked)
    if best is None or best[0] + 0.02 * best[1] < COVERED_AT_LEAST:
        return Answer(NOT_FOUND, (), False, numbers)
    text = " ".join(best[3].split())
    return Answer(text, (best[2],), True, numbers)


def numbered(paragraphs: list[Paragraph]) -> str:
    """The ranked paragraphs as a prompt's {text}: each "[N] …" with the number the
    writer sees, so a model's citations can be checked."""
    return "\n\n".join(f"[{p.number}] {p.text}" for p in paragraphs)


def pieces(text: str) -> list[str]:
    """The answer in word-sized pieces, each with the space after it, to stream."""
    return re.findall(r"\S+\s*", text)


def cited(document: str, spans: list[tuple[int, int]]) -> list[dict[str, int]]:
    """Each quoted span of `document` with the number of the paragraph it stands in, for
    `--json` and the panel's links."""
    paragraphs = split(document)
    out = []
    for start, end in spans:
        number = next((p.number for p in paragraphs if p.start <= start < p.end), 0)
        out.append({"paragraph": number, "start": start, "end": end})
    return out
