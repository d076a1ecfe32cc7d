"""Wording that excludes or stereotypes: flagged with a reason and alternatives, never
applied.

No offline writing tool checks a writer's own text for this. The list is data
(`resources/inclusive.toml`, with the public guides it was written from), and the check
is deliberately literal, so a writer can see why each flag was raised: listed words as
whole words, and the generic "he" ("every employee must bring his badge") by its shape.
Quoted speech is the speaker's, and a capitalised word inside a sentence is a name
("Chairman Mao", "the Fireman's Arms"): both are left alone. The writer decides each
flag; Proofread reports them beside its corrections and changes nothing for them.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from engine.settings import default_config_dir

OWN_FILE = "inclusive.toml"  # a writer's own terms, in the config folder beside prompts.toml
_QUOTED = re.compile(r"\"[^\"\n]*\"|“[^”\n]*”")
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")
_MALE = re.compile(r"\b(he|his|him|himself)\b", re.IGNORECASE)
_BOTH = re.compile(r"\b(?:he or she|his or her|him or her|he/she|his/her|s/he)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]
    kind: str
    reason: str
    alternatives: tuple[str, ...]


@dataclass(frozen=True)
class InclusiveList:
    terms: tuple[Term, ...]
    generic_he: Term | None
    people: frozenset[str]
    enabled: bool = True


@dataclass(frozen=True)
class Flag:
    """One flagged wording: where it stands, what kind, why, and what to write instead."""

    start: int
    end: int
    text: str
    kind: str
    reason: str
    alternatives: tuple[str, ...]

    def as_json(self) -> dict[str, object]:
        return {
            "kind": "inclusive",
            "category": self.kind,
            "start": self.start,
            "end": self.end,
            "before": self.text,
            "alternatives": list(self.alternatives),
            "reason": self.reason,
            "applied": False,
        }


def parse(text: str) -> InclusiveList:
    data = tomllib.loads(text)
    terms = tuple(
        Term(tuple(t["words"]), t["kind"], t["reason"], tuple(t["alternatives"]))
        for t in data.get("term", [])
    )
    he = data.get("generic_he", {})
    generic = (
        Term((), he["kind"], he["reason"], tuple(he["alternatives"]))
        if he.get("enabled", True) and he
        else None
    )
    return InclusiveList(
        terms,
        generic,
        frozenset(w.lower() for w in he.get("people", [])),
        bool(data.get("settings", {}).get("enabled", True)),
    )


@lru_cache(maxsize=4)
def load(extra: Path | None = None) -> InclusiveList:
    """The shipped list, with a writer's own file's terms added when it exists."""
    shipped = parse(resources.files("resources").joinpath("inclusive.toml").read_text(encoding="utf-8"))
    if extra is None or not extra.is_file():
        return shipped
    try:
        own = parse(extra.read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError):
        return shipped  # a broken own file never stops the check
    return InclusiveList(
        shipped.terms + own.terms, shipped.generic_he, shipped.people | own.people, own.enabled
    )


def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    ordered = sorted(words, key=len, reverse=True)
    body = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)
    return re.compile(rf"(?<![\w'’-])(?:{body})(?![\w-])", re.IGNORECASE)


def _sentence_start(text: str, offset: int) -> bool:
    before = text[:offset].rstrip(" \t\"“'‘(")
    return not before or before[-1] in ".!?\n:"


def _is_name(text: str, start: int, end: int) -> bool:
    """A capitalised word inside a sentence ("the Fireman's Arms"), or one at its start
    followed by another capitalised word ("Chairman Mao said")."""
    if not text[start].isupper():
        return False
    if not _sentence_start(text, start):
        return True
    following = re.match(r"(?:['’]s)?\s+([A-Z][\w'’-]*)", text[end:])
    return following is not None


def check(text: str, inclusive: InclusiveList | None = None) -> list[Flag]:
    """Every flag in `text`, in order (by the shipped list and the writer's own)."""
    inclusive = inclusive or load(default_config_dir() / OWN_FILE)
    if not inclusive.enabled:
        return []
    quoted = [m.span() for m in _QUOTED.finditer(text)]

    def free(start: int, end: int) -> bool:
        return not any(a <= start and end <= b for a, b in quoted)

    flags: list[Flag] = []
    for term in inclusive.terms:
        for match in _pattern(term.words).finditer(text):
            start, end = match.span()
            if free(start, end) and not _is_name(text, start, end):
                flags.append(Flag(start, end, match.group(), term.kind, term.reason, term.alternatives))
    if inclusive.generic_he is not None:
        flags += [
            f for f in _generic_he(text, inclusive.generic_he, inclusive.people) if free(f.start, f.end)
        ]
    return sorted(flags, key=lambda f: f.start)


_GENERIC = r"(?:every|each|any|no)\s+(?:single\s+)?"


def _generic_he(text: str, term: Term, people: frozenset[str]) -> list[Flag]:
    """ "he", "his", "him" referring back to anyone at all: a person named by "every",
    "each", "any" or "no" (or "everyone", "anyone"…) earlier in the same sentence, with
    no name between them and no "he or she" in the sentence."""
    nouns = "|".join(sorted((re.escape(p) for p in people), key=len, reverse=True))
    referent = re.compile(rf"\b(?:{_GENERIC}(?:{nouns})|(?:every|any|some|no)(?:one|body))\b", re.IGNORECASE)
    out = []
    for sentence in _SENTENCE.finditer(text):
        body = sentence.group()
        if _BOTH.search(body):
            continue
        first = referent.search(body)
        if first is None:
            continue
        for match in _MALE.finditer(body, first.end()):
            between = body[first.end() : match.start()]
            if re.search(r"(?<![.!?]\s)\b[A-Z][a-z]+", between):
                break  # a name between them: he may be that man
            start = sentence.start() + match.start()
            alternatives = {"he": "they", "his": "their", "him": "them", "himself": "themselves"}
            chosen = alternatives[match.group().lower()]
            flags_alternatives = (chosen, *[a for a in term.alternatives if a != chosen])
            out.append(
                Flag(
                    start,
                    start + len(match.group()),
                    match.group(),
                    term.kind,
                    term.reason,
                    flags_alternatives,
                )
            )
    return out
