from __future__ import annotations

import pytest

from engine.documents.word_diff import Change, Piece, word_diff


def rebuild(pieces: list[Piece], keep: Change) -> str:
    return "".join(p.text for p in pieces if p.change in (Change.SAME, keep))


@pytest.mark.parametrize(
    ("original", "suggestion"),
    [
        (
            "The meeting was postponed because alot of them was sick.",
            "The meeting was postponed because many of them were sick.",
        ),
        ("Short.", "A completely different and longer sentence!"),
        ("", "New text."),
        ("Old text.", ""),
        ("我今天很高兴。", "我今天非常高兴。"),
        ("Line one.\nLine two.", "Line one.\n\nLine 2."),
    ],
)
def test_pieces_rebuild_both_texts(original: str, suggestion: str) -> None:
    pieces = word_diff(original, suggestion)
    assert rebuild(pieces, Change.DELETED) == original
    assert rebuild(pieces, Change.INSERTED) == suggestion


def test_changes_are_whole_words() -> None:
    pieces = word_diff("alot of them was sick", "many of them were sick")
    assert Piece(Change.DELETED, "alot") in pieces
    assert Piece(Change.INSERTED, "many") in pieces
    assert Piece(Change.DELETED, "was") in pieces
    assert Piece(Change.INSERTED, "were") in pieces
    assert Piece(Change.SAME, " of them ") in pieces
