"""A word-level diff between the original and the suggestion, like tracked changes.

Pure Python (difflib over words and the spaces between them), so it is tested without a
window; the diff view only turns the pieces into formatted text.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from enum import Enum

from engine.documents.cjk import HAN_KANA

# Chinese and Japanese have no spaces: each Han or kana character is a token of its own,
# so a changed character is marked alone instead of the whole sentence.
_TOKEN = re.compile(rf"\s+|[{HAN_KANA}]|(?:(?![{HAN_KANA}])[\w'’-])+|[^\w\s]", re.UNICODE)


class Change(Enum):
    SAME = "same"
    DELETED = "deleted"
    INSERTED = "inserted"


@dataclass(frozen=True)
class Piece:
    change: Change
    text: str


def tokenize(text: str) -> list[str]:
    return _TOKEN.findall(text)


def word_diff(original: str, suggestion: str) -> list[Piece]:
    """Pieces that read as the original with deletions struck and insertions marked.

    Joining the SAME and DELETED pieces gives the original; SAME and INSERTED give the
    suggestion.
    """
    old, new = tokenize(original), tokenize(suggestion)
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    pieces: list[Piece] = []

    def add(change: Change, tokens: list[str]) -> None:
        text = "".join(tokens)
        if not text:
            return
        if pieces and pieces[-1].change is change:
            pieces[-1] = Piece(change, pieces[-1].text + text)
        else:
            pieces.append(Piece(change, text))

    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            add(Change.SAME, old[a1:a2])
        else:
            add(Change.DELETED, old[a1:a2])
            add(Change.INSERTED, new[b1:b2])
    return pieces
