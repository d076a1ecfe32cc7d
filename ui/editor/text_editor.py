"""The text area: a comfortable plain-text editor that protects a live suggestion.

While a suggestion is live, edits that would touch the text it replaces or the point it
is anchored at are refused with a hint (the writer accepts or rejects first); edits
anywhere else go through. Tab/Enter and Esc are offered to the suggestion first.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QMimeData, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import (
    QContextMenuEvent,
    QFont,
    QFontDatabase,
    QKeyEvent,
    QKeySequence,
    QResizeEvent,
    QTextCursor,
)
from PySide6.QtWidgets import QMenu, QPlainTextEdit, QTextEdit, QWidget

from ui.translations import QT_TRANSLATE_NOOP

MAX_TEXT_WIDTH = 820  # pixels: a readable line length on wide windows
HINT = QT_TRANSLATE_NOOP("Editor", "A suggestion is waiting here: Tab or Enter accepts it, Esc rejects it.")
_ACCEPT_KEYS = (Qt.Key.Key_Tab, Qt.Key.Key_Return, Qt.Key.Key_Enter)


def writing_font() -> QFont:
    families = set(QFontDatabase.families())
    for family in ("Noto Serif", "Source Serif 4", "Georgia", "Charter", "DejaVu Serif", "Liberation Serif"):
        if family in families:
            font = QFont(family)
            break
    else:
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont)
    font.setPointSizeF(12.5)
    font.setStyleHint(QFont.StyleHint.Serif)
    return font


class Editor(QPlainTextEdit):
    """Plain-text editing with a guard for the live suggestion's range."""

    sig_accept_key = Signal()
    sig_escape_key = Signal()
    sig_hint = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFont(writing_font())
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setWordWrapMode(self.wordWrapMode())
        self.document().setDocumentMargin(28)
        self.setTabStopDistance(self.fontMetrics().horizontalAdvance(" ") * 4)
        self.setFrameShape(QPlainTextEdit.Shape.NoFrame)
        self.setCenterOnScroll(False)
        self.setPlaceholderText(
            self.tr("Start writing. Select text and pick an action from the Assistant menu.")
        )
        self._protected: Callable[[], tuple[int, int] | None] = lambda: None
        self._accepts_keys: Callable[[], bool] = lambda: False
        self.extra_context_actions: Callable[[QMenu], None] | None = None
        self.spelling_actions: Callable[[QMenu, QPoint], None] | None = None
        # Display-only marks by owner ("spelling", "suggestion"); later layers draw on top.
        self._layers: dict[str, list[QTextEdit.ExtraSelection]] = {}
        self._fitting = False
        self.current_highlighter: object = None
        self.document().setModified(False)  # setting the margin marks the document modified

    def set_protection(
        self, protected: Callable[[], tuple[int, int] | None], accepts_keys: Callable[[], bool]
    ) -> None:
        """`protected()` gives the live suggestion's (start, end), or None when there is none."""
        self._protected = protected
        self._accepts_keys = accepts_keys

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if not self._fitting:
            QTimer.singleShot(0, self._fit_column)

    def _fit_column(self) -> None:
        """Keep a readable column: centre the text when the window is wide."""
        side = max(0, (self.width() - MAX_TEXT_WIDTH) // 2)
        if side == self.viewportMargins().left():
            return
        self._fitting = True
        try:
            self.setViewportMargins(side, 0, side, 0)
        finally:
            self._fitting = False

    # -- text helpers ------------------------------------------------------------

    def text(self) -> str:
        """The document's exact text. (toPlainText would turn no-break spaces into spaces.)"""
        return self.document().toRawText().replace("\u2029", "\n")

    def highlighter_changed(self, highlighter: object) -> None:
        """Hook for whoever draws over the text (the suggestion view) to cooperate."""
        self.current_highlighter = highlighter

    def selected_text(self) -> str:
        """The selection with real newlines (Qt uses U+2029 between paragraphs)."""
        return self.textCursor().selectedText().replace("\u2029", "\n").replace("\u2028", "\n")

    def tracking_cursor(self, position: int, keep_on_insert: bool) -> QTextCursor:
        """A cursor at `position` that Qt keeps in place as the text around it changes
        (`keep_on_insert`: text typed exactly there goes after it, not before)."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(position)
        cursor.setKeepPositionOnInsert(keep_on_insert)
        return cursor

    def text_between(self, start: int, end: int) -> str:
        cursor = QTextCursor(self.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        return cursor.selectedText().replace("\u2029", "\n").replace("\u2028", "\n")

    def text_length(self) -> int:
        """The last cursor position (the document's character count less its final separator)."""
        return max(0, self.document().characterCount() - 1)

    def set_selection_layer(self, name: str, selections: list[QTextEdit.ExtraSelection]) -> None:
        """Replace one owner's extra selections, keeping the others'."""
        self._layers.pop(name, None)
        self._layers[name] = selections
        order = sorted(self._layers, key=lambda layer: layer == "suggestion")
        self.setExtraSelections([s for layer in order for s in self._layers[layer]])

    # -- protection --------------------------------------------------------------

    def replace_span(self, start: int, end: int, expected: str, replacement: str) -> bool:
        """`replacement` in place of [start, end) as one undo step; refused when the text
        there is no longer `expected` or a live suggestion covers it (a correction or an
        alternative the writer picked from the context menu)."""
        if self.text_between(start, end) != expected or self.blocked(start, end):
            return False
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(replacement)
        cursor.endEditBlock()
        return True

    def blocked(self, start: int, end: int) -> bool:
        """Would changing [start, end] touch the live suggestion? (The spell checker asks.)"""
        return self._blocked(start, end)

    def _blocked(self, start: int, end: int) -> bool:
        """Would replacing document range [start, end] touch the live suggestion?"""
        protected = self._protected()
        if protected is None:
            return False
        low, high = protected
        return (start < high and end > low) or (start <= high <= end)

    def _edit_range(self, event: QKeyEvent) -> tuple[int, int] | None:
        """The document range a key press would change, or None if it changes nothing."""
        cursor = self.textCursor()
        start, end = cursor.selectionStart(), cursor.selectionEnd()
        key = event.key()
        if event.matches(QKeySequence.StandardKey.Undo) or event.matches(QKeySequence.StandardKey.Redo):
            return None  # checked after the fact by the controller
        if event.matches(QKeySequence.StandardKey.Paste) or event.matches(QKeySequence.StandardKey.Cut):
            return start, end
        if key == Qt.Key.Key_Backspace:
            return (start, end) if start != end else (max(0, start - 1), start)
        if key == Qt.Key.Key_Delete:
            return (start, end) if start != end else (start, start + 1)
        if (event.text() and event.text().isprintable()) or key in _ACCEPT_KEYS:
            return start, end
        return None

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._protected() is not None:
            if event.key() == Qt.Key.Key_Escape:
                self.sig_escape_key.emit()
                return
            if (
                event.key() in _ACCEPT_KEYS
                and event.modifiers()
                in (
                    Qt.KeyboardModifier.NoModifier,
                    Qt.KeyboardModifier.KeypadModifier,
                )
                and self._accepts_keys()
            ):
                self.sig_accept_key.emit()
                return
            edit = self._edit_range(event)
            if edit is not None and self._blocked(*edit):
                self.sig_hint.emit(self.tr(HINT))
                return
        super().keyPressEvent(event)

    def insertFromMimeData(self, source: QMimeData) -> None:
        cursor = self.textCursor()
        if self._blocked(cursor.selectionStart(), cursor.selectionEnd()):
            self.sig_hint.emit(self.tr(HINT))
            return
        super().insertFromMimeData(source)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.createStandardContextMenu(event.pos())
        if self.spelling_actions is not None:
            self.spelling_actions(menu, event.pos())
        if self.extra_context_actions is not None:
            self.extra_context_actions(menu)
        menu.exec(event.globalPos())
        menu.deleteLater()
