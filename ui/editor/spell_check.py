"""Spell checking as you type: unknown words underlined, suggestions on right-click.

Only the blocks on screen are checked, and only after the text or the view has settled
for a moment, so a 10 MB document costs what one screenful costs. The underlines are
extra selections (display only: they never touch the text, the undo stack or a saved
file). The dictionary is the engine's (engine/fidelity/spelling.py), the same one the proofreader
takes its candidates from, and it is loaded on first use.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QPoint, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QMenu, QTextEdit

from engine.fidelity.spelling import Dictionary, words_in
from ui.editor.text_editor import Editor

SETTLE_MS = 40  # how long the text or the view must be still before the screen is checked
MAX_SUGGESTIONS = 6


def misspelling_format() -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SpellCheckUnderline)
    fmt.setUnderlineColor(QColor("#d0342c"))
    return fmt


class SpellChecker(QObject):
    """Underlines the visible unknown words of one editor and offers corrections."""

    sig_checked = Signal(int)  # how many words are underlined on screen
    sig_added = Signal(str)  # a word went into the writer's dictionary

    def __init__(
        self, editor: Editor, dictionary: Callable[[], Dictionary], language: str, *, enabled: bool = True
    ) -> None:
        super().__init__(editor)
        self.language = language
        self._editor = editor
        self._make_dictionary = dictionary
        self._dictionary: Dictionary | None = None
        self._enabled = enabled
        self._format = misspelling_format()
        self.underlined: list[tuple[int, int, str]] = []  # (start, end, word) now on screen
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SETTLE_MS)
        self._timer.timeout.connect(self.refresh)
        editor.document().contentsChange.connect(self._schedule)
        editor.verticalScrollBar().valueChanged.connect(self._schedule)
        editor.cursorPositionChanged.connect(self._schedule)
        self._schedule()

    @property
    def dictionary(self) -> Dictionary:
        if self._dictionary is None:
            self._dictionary = self._make_dictionary()
        return self._dictionary

    def set_enabled(self, enabled: bool) -> None:
        self._enabled = enabled
        self.refresh()

    def set_dictionary(self, make: Callable[[], Dictionary], language: str) -> None:
        """A new language: loaded on the next check."""
        self.language = language
        self._make_dictionary = make
        self._dictionary = None
        self._schedule()

    def _schedule(self, *_args: object) -> None:
        self._timer.start()

    def refresh(self) -> None:
        """Check the blocks on screen now."""
        self._timer.stop()
        found: list[tuple[int, int, str]] = []
        if self._enabled:
            dictionary = self.dictionary
            editor = self._editor
            bottom = editor.viewport().height()
            block = editor.firstVisibleBlock()
            offset = editor.contentOffset()
            typing_at = editor.textCursor().position()
            while block.isValid():
                top = editor.blockBoundingGeometry(block).translated(offset).top()
                if top > bottom:
                    break
                base = block.position()
                for match in words_in(block.text()):
                    word = match.group()
                    start, end = base + match.start(), base + match.end()
                    if end == typing_at:  # the word being typed: judged once it is left
                        continue
                    if len(word) < 2 or word.isupper() or dictionary.is_known(word):
                        continue
                    found.append((start, end, word))
                block = block.next()
        self.underlined = found
        selections = []
        for start, end, _word in found:
            selection = QTextEdit.ExtraSelection()
            cursor = QTextCursor(self._editor.document())
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor
            selection.format = self._format
            selections.append(selection)
        self._editor.set_selection_layer("spelling", selections)
        self.sig_checked.emit(len(found))

    # -- the context menu --------------------------------------------------------------

    def word_at(self, position: int) -> tuple[int, int, str] | None:
        """The unknown word at a document position, if there is one."""
        if not self._enabled:
            return None
        block = self._editor.document().findBlock(position)
        base = block.position()
        for match in words_in(block.text()):
            if base + match.start() <= position <= base + match.end():
                word = match.group()
                if len(word) > 1 and not word.isupper() and not self.dictionary.is_known(word):
                    return base + match.start(), base + match.end(), word
                return None
        return None

    def add_actions(self, menu: QMenu, point: QPoint) -> None:
        """Put the corrections for the word under `point` (viewport coordinates) at the top."""
        found = self.word_at(self._editor.cursorForPosition(point).position())
        if found is None:
            return
        start, end, word = found
        first = menu.actions()[0] if menu.actions() else None
        actions: list[QAction] = []
        for suggestion in self.dictionary.suggestions(word, MAX_SUGGESTIONS):
            action = QAction(suggestion, menu)
            font = action.font()
            font.setBold(True)
            action.setFont(font)
            action.triggered.connect(lambda _=False, s=suggestion: self.replace(start, end, word, s))
            actions.append(action)
        if not actions:
            none = QAction(self.tr("No suggestions"), menu)
            none.setEnabled(False)
            actions.append(none)
        add = QAction(self.tr("Add “{0}” to dictionary").format(word), menu)
        add.triggered.connect(lambda _=False: self.add_word(word))
        actions.append(add)
        menu.insertActions(first, actions)  # type: ignore[arg-type]
        menu.insertSeparator(first)  # type: ignore[arg-type]

    def replace(self, start: int, end: int, word: str, replacement: str) -> bool:
        """Put `replacement` in place of `word`: one undo step; refused if the text moved on
        or a live suggestion covers it."""
        if not self._editor.replace_span(start, end, word, replacement):
            return False
        self.refresh()
        return True

    def add_word(self, word: str) -> None:
        self.dictionary.add(word)
        self.sig_added.emit(word)
        self.refresh()
