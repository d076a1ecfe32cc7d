"""Showing a suggestion in the editor without putting it in the document.

The suggestion is drawn as the block's pre-edit area, the same mechanism input methods
use for text that is being composed: it wraps and flows with the paragraph, but it is
not part of the document, so it never enters the undo stack, a saved file or an
autosave, and rejecting it leaves the document byte-identical. The text it replaces is
marked with an extra selection (struck through and dimmed), which is display-only too.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtGui import (
    QColor,
    QSyntaxHighlighter,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
    QTextLayout,
    QTextLine,
)
from PySide6.QtWidgets import QTextEdit

from ui.editor.text_editor import Editor

LINE_SEPARATOR = "\u2028"  # a line break inside one block's layout


def suggestion_format() -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setBackground(QColor("#e3edfc"))
    fmt.setForeground(QColor("#1f3f7a"))
    return fmt


def replaced_format() -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setFontStrikeOut(True)
    fmt.setForeground(QColor("#9a9a9a"))
    return fmt


class ProvisionalView:
    """Draws one provisional text at a document position, and marks a replaced range."""

    def __init__(self, editor: Editor) -> None:
        self._editor = editor
        self._block: QTextBlock | None = None
        self._marks: list[QTextEdit.ExtraSelection] = []

    def show(
        self,
        position: int,
        pieces: list[tuple[str, QTextCharFormat]],
        replaced: tuple[int, int] | None = None,
    ) -> None:
        """Draw `pieces` at `position`; mark `replaced` (start, end) as being replaced."""
        document = self._editor.document()
        block = document.findBlock(position)
        if self._block is not None and self._block != block:
            self._clear_block()
        text = "".join(piece for piece, _ in pieces).replace("\n", LINE_SEPARATOR)
        offset = position - block.position()
        layout = block.layout()
        layout.setPreeditArea(offset, text)
        ranges = []
        start = offset
        for piece, fmt in pieces:
            if piece:
                formatted = QTextLayout.FormatRange()
                formatted.start, formatted.length, formatted.format = start, len(piece), fmt
                ranges.append(formatted)
            start += len(piece)
        layout.setFormats(ranges)
        self._block = block
        document.markContentsDirty(block.position(), block.length())
        self._rehighlight(block)  # Qt's highlighter keeps formats inside the pre-edit area
        self._set_marks(replaced)
        self._editor.viewport().update()

    def clear(self) -> None:
        self._clear_block()
        self._set_marks(None)
        self._editor.viewport().update()

    def _clear_block(self) -> None:
        block = self._block
        self._block = None
        if block is None or not block.isValid():
            return
        layout = block.layout()
        layout.setPreeditArea(-1, "")
        layout.setFormats([])
        self._editor.document().markContentsDirty(block.position(), block.length())
        self._rehighlight(block)

    def _rehighlight(self, block: QTextBlock) -> None:
        highlighter = getattr(self._editor, "current_highlighter", None)
        if isinstance(highlighter, QSyntaxHighlighter):
            highlighter.rehighlightBlock(block)

    def _set_marks(self, replaced: tuple[int, int] | None) -> None:
        self._marks = []
        if replaced is not None and replaced[1] > replaced[0]:
            mark = QTextEdit.ExtraSelection()
            cursor = QTextCursor(self._editor.document())
            cursor.setPosition(replaced[0])
            cursor.setPosition(replaced[1], QTextCursor.MoveMode.KeepAnchor)
            mark.cursor = cursor
            mark.format = replaced_format()
            self._marks.append(mark)
        self._editor.set_selection_layer("suggestion", self._marks)

    def index_at(self, point: QPoint) -> int | None:
        """The index in the shown text under `point` (viewport coordinates), or None where
        the point is not over it: the pre-edit area is no part of the document, so the
        editor's own cursor cannot be placed in it."""
        block = self._block
        if block is None or not block.isValid():
            return None
        layout = block.layout()
        shown = layout.preeditAreaText()
        if not shown:
            return None
        geometry = self._editor.blockBoundingGeometry(block).translated(self._editor.contentOffset())
        x, y = point.x() - geometry.x(), point.y() - geometry.y()
        for number in range(layout.lineCount()):
            line = layout.lineAt(number)
            if line.y() <= y < line.y() + line.height():
                if not line.x() <= x < line.x() + line.naturalTextWidth():
                    return None
                index = line.xToCursor(x, QTextLine.CursorPosition.CursorOnCharacter)
                index -= layout.preeditAreaPosition()
                return index if 0 <= index < len(shown) else None
        return None

    def end_rect_bottom(self) -> int:
        """The viewport y just below the last line of the provisional text."""
        block = self._block
        if block is None or not block.isValid():
            return self._editor.cursorRect().bottom()
        geometry = self._editor.blockBoundingGeometry(block).translated(self._editor.contentOffset())
        return int(geometry.bottom())


class ProvisionalSet:
    """Many provisional texts at once (a review pass): each shown at the end of the text it
    would replace, that text struck through, all of it display-only like `ProvisionalView`.

    One paragraph ends in one block, so each block holds at most one pre-edit area; the
    struck ranges share one selection layer of their own."""

    LAYER = "review"

    def __init__(self, editor: Editor) -> None:
        self._editor = editor
        self._shown: dict[int, tuple[QTextBlock, QTextCursor, QTextCursor]] = {}
        self._marks: dict[int, QTextEdit.ExtraSelection] = {}

    def show(self, key: int, start: QTextCursor, end: QTextCursor, text: str, current: bool = False) -> None:
        """Show `text` after `end` and strike start..end; `current` marks the one in focus."""
        self.hide(key, update=False)
        document = self._editor.document()
        block = document.findBlock(end.position())
        layout = block.layout()
        shown = LINE_SEPARATOR + text.replace("\n", LINE_SEPARATOR)
        layout.setPreeditArea(end.position() - block.position(), shown)
        fmt = suggestion_format()
        fmt.setFontUnderline(current)
        formatted = QTextLayout.FormatRange()
        formatted.start, formatted.length = end.position() - block.position(), len(shown)
        formatted.format = fmt
        layout.setFormats([formatted])
        document.markContentsDirty(block.position(), block.length())
        self._rehighlight(block)
        self._shown[key] = (block, start, end)
        mark = QTextEdit.ExtraSelection()
        cursor = QTextCursor(document)
        cursor.setPosition(start.position())
        cursor.setPosition(end.position(), QTextCursor.MoveMode.KeepAnchor)
        mark.cursor = cursor
        mark.format = replaced_format()
        self._marks[key] = mark
        self._update()

    def hide(self, key: int, *, update: bool = True) -> None:
        shown = self._shown.pop(key, None)
        self._marks.pop(key, None)
        if shown is not None:
            block = shown[0]
            if block.isValid():
                block.layout().setPreeditArea(-1, "")
                block.layout().setFormats([])
                self._editor.document().markContentsDirty(block.position(), block.length())
                self._rehighlight(block)
        if update:
            self._update()

    def clear(self) -> None:
        for key in list(self._shown):
            self.hide(key, update=False)
        self._update()

    def shown(self) -> list[int]:
        return list(self._shown)

    def _rehighlight(self, block: QTextBlock) -> None:
        highlighter = getattr(self._editor, "current_highlighter", None)
        if isinstance(highlighter, QSyntaxHighlighter):
            highlighter.rehighlightBlock(block)

    def _update(self) -> None:
        for key, (_block, start, end) in self._shown.items():  # the struck ranges follow edits
            self._marks[key].cursor.setPosition(start.position())
            self._marks[key].cursor.setPosition(end.position(), QTextCursor.MoveMode.KeepAnchor)
        self._editor.set_selection_layer(self.LAYER, list(self._marks.values()))
        self._editor.viewport().update()
