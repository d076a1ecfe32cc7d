"""Wording that excludes or stereotypes, underlined as you write; never changed for you.

The check is the engine's (engine/fidelity/inclusive.py, the list in
`resources/inclusive.toml`). Like spelling, only the blocks on screen are checked once the
text or the view settles, and the underlines are display only. A right-click on one says
why it was flagged and offers the alternatives; choosing one replaces the words as one
undo step. Nothing is replaced unless the writer picks it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QObject, QPoint, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QMenu, QTextEdit

from engine.fidelity.inclusive import Flag, check
from ui.editor.text_editor import Editor

SETTLE_MS = 60


def wording_format() -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
    fmt.setUnderlineColor(QColor("#7b4bc4"))
    return fmt


def _cased(original: str, replacement: str) -> str:
    return replacement[:1].upper() + replacement[1:] if original[:1].isupper() else replacement


class WordingMarks(QObject):
    """Underlines the flagged wording of one editor's visible blocks and offers alternatives."""

    sig_checked = Signal(int)  # how many flags are underlined on screen

    def __init__(self, editor: Editor, checker: Callable[[str], list[Flag]] = check) -> None:
        super().__init__(editor)
        self._editor = editor
        self._check = checker
        self._format = wording_format()
        self.flags: list[Flag] = []  # on screen, in document offsets
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SETTLE_MS)
        self._timer.timeout.connect(self.refresh)
        editor.document().contentsChange.connect(self._schedule)
        editor.verticalScrollBar().valueChanged.connect(self._schedule)
        self._schedule()

    def _schedule(self, *_args: object) -> None:
        self._timer.start()

    def refresh(self) -> None:
        self._timer.stop()
        editor = self._editor
        found: list[Flag] = []
        bottom = editor.viewport().height()
        block = editor.firstVisibleBlock()
        offset = editor.contentOffset()
        while block.isValid():
            if editor.blockBoundingGeometry(block).translated(offset).top() > bottom:
                break
            base = block.position()
            for flag in self._check(block.text()):
                found.append(replace(flag, start=base + flag.start, end=base + flag.end))
            block = block.next()
        self.flags = found
        selections = []
        for flag in found:
            selection = QTextEdit.ExtraSelection()
            cursor = QTextCursor(editor.document())
            cursor.setPosition(flag.start)
            cursor.setPosition(flag.end, QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor
            selection.format = self._format
            selections.append(selection)
        editor.set_selection_layer("wording", selections)
        self.sig_checked.emit(len(found))

    def flag_at(self, position: int) -> Flag | None:
        return next((f for f in self.flags if f.start <= position <= f.end), None)

    def add_actions(self, menu: QMenu, point: QPoint) -> None:
        """The reason and the alternatives for the flag under `point`, at the top of the menu."""
        flag = self.flag_at(self._editor.cursorForPosition(point).position())
        if flag is None:
            return
        first = menu.actions()[0] if menu.actions() else None
        why = QAction(self.tr("“{0}”: {1}").format(flag.text, flag.reason), menu)
        why.setEnabled(False)
        actions = [why]
        for alternative in flag.alternatives:
            written = _cased(flag.text, alternative)
            action = QAction(self.tr("Write “{0}”").format(written), menu)
            action.triggered.connect(lambda _=False, f=flag, w=written: self.replace(f, w))
            actions.append(action)
        menu.insertActions(first, actions)  # type: ignore[arg-type]
        menu.insertSeparator(first)  # type: ignore[arg-type]

    def replace(self, flag: Flag, replacement: str) -> bool:
        """The writer's choice in place of the flagged words: one undo step; refused if the
        text moved on or a live suggestion covers it."""
        if not self._editor.replace_span(flag.start, flag.end, flag.text, replacement):
            return False
        self.refresh()
        return True
