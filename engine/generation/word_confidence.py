"""A word's probability and its alternatives, as plain data the window and the CLI read,
and the same joined from a server's per-token logprobs.

Kept apart from engine/generation/confidence.py (which reads them from the local model
with torch) so that the server backend and the window never import torch for it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

WORD = re.compile(r"\S+")
ALTERNATIVES = 3  # other tokens shown for a word


@dataclass(frozen=True)
class WordConfidence:
    start: int  # character offsets in the answer
    end: int
    p: float  # the probability of the word's tokens, multiplied
    alternatives: tuple[tuple[str, float], ...] = ()  # other first tokens and their probabilities

    def as_json(self) -> dict[str, object]:
        return {
            "start": self.start,
            "end": self.end,
            "p": round(self.p, 4),
            "alternatives": [{"text": text, "p": round(p, 4)} for text, p in self.alternatives],
        }


@dataclass(frozen=True)
class TokenLogprob:
    """One token as an OpenAI-compatible server reports it with `logprobs`."""

    text: str
    logprob: float
    top: tuple[tuple[str, float], ...] = ()  # the likeliest tokens there, with their logprobs


def from_tokens(
    answer: str, tokens: Sequence[TokenLogprob], alternatives: int = ALTERNATIVES
) -> list[WordConfidence]:
    """The answer's words with probabilities from the server's tokens. The tokens spell
    the raw answer; the answer shown is a cleaned part of it (a preamble or a leading
    space dropped). When it is not found whole in the tokens' text, [] (no guess)."""
    raw = "".join(token.text for token in tokens)
    offset = raw.find(answer) if answer else -1
    if offset < 0:
        return []
    spans, at = [], 0
    for token in tokens:
        spans.append((at - offset, at - offset + len(token.text)))
        at += len(token.text)
    words = []
    for match in WORD.finditer(answer):
        mine = [k for k, (a, b) in enumerate(spans) if a < match.end() and b > match.start()]
        if not mine:
            continue
        first = tokens[mine[0]]
        others = tuple(
            (text, math.exp(logprob)) for text, logprob in first.top if text != first.text and text.strip()
        )[:alternatives]
        p = math.exp(sum(tokens[k].logprob for k in mine))
        words.append(WordConfidence(match.start(), match.end(), p, others))
    return words
