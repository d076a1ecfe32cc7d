"""Where the model was unsure, in a finished suggestion: the words it chose with a low
probability are underlined faintly, and a click on one offers the model's other choices
there, each with its probability.

The probabilities come with the result (engine/generation/word_confidence.py) as plain
offsets into the suggestion's text, so drawing them is splitting that text into pieces
with a second format; nothing here reads the model.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QColor, QTextCharFormat

from engine.generation.word_confidence import WordConfidence
from ui.editor.provisional import suggestion_format

LOW = 0.35  # a word below this probability is underlined


def unsure_format() -> QTextCharFormat:
    fmt = suggestion_format()
    fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
    fmt.setUnderlineColor(QColor("#d08a1f"))
    return fmt


def unsure(words: Sequence[WordConfidence]) -> list[WordConfidence]:
    return [word for word in words if word.p < LOW]


def pieces(lead: str, text: str, words: Sequence[WordConfidence]) -> list[tuple[str, QTextCharFormat]]:
    """`lead` then `text` as formatted pieces, its unsure words underlined."""
    plain, marked = suggestion_format(), unsure_format()
    out: list[tuple[str, QTextCharFormat]] = [(lead, plain)] if lead else []
    at = 0
    for word in unsure(words):
        if word.start < at or word.end > len(text):
            continue
        if word.start > at:
            out.append((text[at : word.start], plain))
        out.append((text[word.start : word.end], marked))
        at = word.end
    if at < len(text) or not out:
        out.append((text[at:], plain))
    return out


def word_at(words: Sequence[WordConfidence], index: int) -> WordConfidence | None:
    """The unsure word at character `index` of the suggestion's text."""
    return next((w for w in unsure(words) if w.start <= index < w.end), None)


def prefix_with(text: str, word: WordConfidence, alternative: str) -> str:
    """The suggestion up to `word`, with `alternative` (a token, often with its leading
    space) in its place: where the answer goes on from."""
    before = text[: word.start]
    if alternative.startswith(" ") and (before.endswith(" ") or not before):
        before = before[:-1]
    return before + alternative
