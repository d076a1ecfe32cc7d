"""Was the style the writer asked for applied? Lexical checks a writer could make by eye.

formal   no contraction, no slang, no sentence starting in lower case, no lower-case "i"
casual   no formal connective or stiff word left where an everyday one exists, and no
         "do not"/"it is" left that would be contracted in speech
shorter  at most 0.9 of the source's words
expand   at least 1.2 of the source's words
clearer  no wordy phrase of the list left, and no sentence over 30 words unless the
         source had one at least as long (then it must be shorter)

Each check returns what is still wrong ("keeps: gonna, don't"), or "" when the style was
applied, so the verdict can show it and the chooser can prefer the candidate that did it.
"""

from __future__ import annotations

import re

from engine.fidelity.lexicon import lexicon, phrase_pattern

SHORTER_AT_MOST = 0.9
EXPAND_AT_LEAST = 1.2
LONG_SENTENCE = 30
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"'”’)]*|\n|$)")
_LOWER_START = re.compile(r"(?:^|[.!?][\"'”’)]*\s+)([a-z])")
_LOWER_I = re.compile(r"(?<![\w'’])i(?=\s|['’](?:m|ve|ll|d)\b)")


def words(text: str) -> int:
    return len(text.split())


def _found(pattern: re.Pattern[str], text: str, limit: int = 3) -> list[str]:
    seen: list[str] = []
    for match in pattern.finditer(text):
        word = match.group().lower().replace("’", "'")
        if word not in seen:
            seen.append(word)
    return seen[:limit]


def _patterns() -> dict[str, re.Pattern[str]]:
    lex = lexicon()
    if not _CACHE:
        _CACHE["contraction"] = phrase_pattern(list(lex.contractions))
        _CACHE["slang"] = phrase_pattern(list(lex.slang))
        _CACHE["formal"] = phrase_pattern([k for k in lex.formal_words if " not" not in k and " " not in k])
        _CACHE["uncontracted"] = phrase_pattern(
            [
                k
                for k in lex.formal_words
                if " " in k and k.split()[-1] in {"not", "am", "are", "is", "will", "have", "us"}
            ]
        )
        _CACHE["wordy"] = phrase_pattern(list(lex.wordy))
    return _CACHE


_CACHE: dict[str, re.Pattern[str]] = {}


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]


def formal_problems(answer: str) -> list[str]:
    patterns = _patterns()
    problems = _found(patterns["contraction"], answer) + _found(patterns["slang"], answer)
    if _LOWER_START.search(answer.strip()) or _LOWER_I.search(answer):
        problems.append("lower-case sentence start")
    return problems


def check(style: str | None, source: str, answer: str) -> str:
    """What keeps `answer` from being a `style` rewrite of `source`; "" when it is one (or
    when the style has no lexical check: a writer's own)."""
    patterns = _patterns()
    if style == "formal":
        problems = formal_problems(answer)
        return "not formal: " + ", ".join(problems) if problems else ""
    if style == "casual":
        pairs = [
            m for m in patterns["uncontracted"].finditer(answer) if answer[m.end() :].lstrip()[:1].isalnum()
        ]
        left = _found(patterns["formal"], answer) + [m.group().lower() for m in pairs[:2]]
        return "not casual: " + ", ".join(left[:3]) if left else ""
    if style == "shorter":
        if words(answer) > SHORTER_AT_MOST * words(source):
            return f"not shorter: {words(answer)} of {words(source)} words"
        return ""
    if style == "expand":
        if words(answer) < EXPAND_AT_LEAST * words(source):
            return f"not expanded: {words(answer)} of {words(source)} words"
        return ""
    if style == "clearer":
        wordy = _found(patterns["wordy"], answer)
        if wordy:
            return "not clearer: " + ", ".join(wordy)
        longest_source = max((words(s) for s in sentences(source)), default=0)
        longest = max((words(s) for s in sentences(answer)), default=0)
        if longest > LONG_SENTENCE and longest >= longest_source:
            return f"not clearer: a sentence of {longest} words"
        return ""
    return ""
