"""The facts of a text that a rewrite must keep: numbers, dates, names and places.

A rewrite that reads better but says "June 3" where the writer wrote "June 13", or drops
"Elena", damages the text. The checks are deliberately literal: a fact is kept when the
answer contains it (numbers also with or without thousands separators, words ignoring
case), because a writer should not have to trust a paraphrase of a number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
NUMBER_WORDS = [  # "one" is left out: "no one", "one of them" are not facts
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
    "hundred",
    "thousand",
    "million",
    "billion",
]
# At a sentence start, a word rarer than this in the word list is taken for a name: the
# lists know "anna" and "milan" too, but thousands of times less often than "every".
NAME_FREQUENCY = 10_000
# Capitalised words that are not names even inside a sentence.
_NOT_NAMES = {"i", "i'm", "i've", "i'll", "i'd", "mr", "mrs", "ms", "dr", "ok"}

_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*(?:%|\b)")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
# Code a technical text names: `venv`, range(10), init_pair(n, f, b), max_tokens. A
# rewrite that writes "the legal indices of length 10" for "`range(10)` generates 10
# values" kept the number and lost the thing it counts.
_CODE = re.compile(
    r"`([^`\n]{1,40})`"
    r"|(?<![\w.`])([A-Za-z_][\w.]*\([^()\n]{0,30}\))"
    r"|(?<![\w.`])([A-Za-z][A-Za-z0-9]*_\w+)"
)
_SENTENCE_START = re.compile(r"(?:^|[.!?]['\"”’)]*\s+|\n\s*|[\"“]\s*|[-*•]\s+)$")


class KnowsWords(Protocol):
    def frequency(self, word: str) -> int: ...


@dataclass(frozen=True)
class Fact:
    text: str
    kind: str  # "number", "date", "name", "code"


def extract(text: str, dictionary: KnowsWords | None = None) -> list[Fact]:
    """Each distinct fact once, in order of appearance."""
    found: dict[str, Fact] = {}
    for match in _CODE.finditer(text):
        code = next(group for group in match.groups() if group is not None).strip()
        if code:
            found.setdefault(code.lower(), Fact(code, "code"))
    for match in _NUMBER.finditer(text):
        value = match.group().rstrip("%").rstrip(".,")
        found.setdefault(value, Fact(value, "number"))
    for match in _WORD.finditer(text):
        word = match.group()
        lower = word.lower()
        if lower in MONTHS or lower in WEEKDAYS:
            found.setdefault(lower, Fact(word, "date"))
        elif lower in NUMBER_WORDS:
            found.setdefault(lower, Fact(word, "number"))
        elif word[:1].isupper() and lower not in _NOT_NAMES and len(word) > 1:
            # Only the few characters before the word are looked at: searching the whole
            # prefix made a 40,000-word summary's check take 40 s.
            start = match.start()
            at_start = start == 0 or _SENTENCE_START.search(text[max(0, start - 40) : start]) is not None
            if start > 40 and _SENTENCE_START.fullmatch(text[start - 40 : start]) is not None:
                at_start = _SENTENCE_START.search(text[:start]) is not None  # "^" meant the slice
            if at_start and (dictionary is None or dictionary.frequency(lower) >= NAME_FREQUENCY):
                continue  # "The", "Every": a capital because the sentence starts there
            found.setdefault(lower, Fact(word, "name"))
    return list(found.values())


def _present(fact: Fact, answer: str, lowered: str) -> bool:
    if fact.kind == "number" and fact.text[:1].isdigit():
        forms = {fact.text, fact.text.replace(",", "")}
        digits = re.sub(r"(?<=\d),(?=\d{3})", "", answer)
        return any(
            re.search(rf"(?<![\w.,]){re.escape(f)}(?![\w]|[.,]\d)", text)
            for f in forms
            for text in (answer, digits)
        )
    return re.search(rf"(?<!\w){re.escape(fact.text.lower())}(?!\w)", lowered) is not None


def missing(facts: list[Fact], answer: str) -> list[Fact]:
    """The facts the answer does not contain."""
    lowered = answer.lower()
    return [fact for fact in facts if not _present(fact, answer, lowered)]


def spellings(fact: Fact) -> list[str]:
    """The ways an answer may write the fact, for favouring them while decoding."""
    forms = [" " + fact.text, fact.text]
    if fact.kind == "number" and "," in fact.text:
        forms.append(" " + fact.text.replace(",", ""))
    return forms


def describe(facts: list[Fact], limit: int = 4) -> str:
    """ "450, Elena" — for the suggestion bar."""
    names = [fact.text for fact in facts[:limit]]
    more = len(facts) - limit
    return ", ".join(names) + (f" and {more} more" if more > 0 else "")


def keep_line(facts: list[Fact]) -> str:
    """The sentence a rewrite prompt gets, so the model knows what must survive."""
    if not facts:
        return ""
    return " Keep these exactly as written: " + ", ".join(fact.text for fact in facts) + "."
