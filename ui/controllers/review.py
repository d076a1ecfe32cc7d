"""The review pass in the window: many suggestions at once, each tracked in place.

The pass itself (engine/documents/review.py) runs one paragraph after another on the engine thread
while the writer keeps working. Every paragraph is held by two document cursors from the
start, so it is found wherever the writer's typing moves it; a paragraph the writer edits
before its turn is skipped, and a suggestion whose paragraph the writer edits afterwards
becomes stale: it is never applied over the writer's words. Suggestions are display-only
(`ProvisionalSet`) until accepted; accepting all of them is one edit block, so one undo
step, and rejecting all leaves the document byte-identical.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QTextCursor

from engine.documents import review
from engine.documents.suggestion_history import settled as history_entry
from engine.errors import InkwellError
from engine.prompting.templates import OperationTemplate
from ui.controllers.requests import RequestBuilder
from ui.editor.provisional import ProvisionalSet
from ui.editor.text_editor import Editor


class State(StrEnum):
    WAITING = "waiting"  # its turn has not come yet
    READY = "ready"  # a suggestion for the writer to accept or reject
    STALE = "stale"  # the writer edited it: skipped, or its suggestion withdrawn
    DONE = "done"  # accepted, rejected, unchanged or failed: nothing more to show


class Offset:
    """A place in the document that the controller keeps up to date itself while its
    paragraph waits: a `QTextCursor` is made only once a suggestion is shown (making one
    lays its block out: 2,000 of them stalled the window for 50 ms in a 50,000-word text)."""

    __slots__ = ("value",)

    def __init__(self, value: int) -> None:
        self.value = value

    def position(self) -> int:
        return self.value


@dataclass
class Item:
    paragraph: review.Paragraph
    start: Offset | QTextCursor  # cursors (Qt keeps them in place) once it has a suggestion
    end: Offset | QTextCursor
    state: State = State.WAITING
    suggestion: str = ""

    @property
    def key(self) -> int:
        return self.paragraph.index


class ReviewController(QObject):
    sig_progress = Signal(int, int)  # paragraphs done, paragraphs in the pass
    sig_items_changed = Signal()  # a suggestion arrived, was answered or went stale
    sig_current_changed = Signal(int)  # the paragraph in focus (-1: none)
    sig_running_changed = Signal(bool)
    sig_finished = Signal(str)  # a one-line summary
    sig_error = Signal(str)
    sig_settled = Signal(list)  # HistoryEntry for each suggestion the writer accepted or rejected

    def __init__(
        self, editor: Editor, engine: Any, requests: RequestBuilder, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._editor = editor
        self._engine = engine
        self._requests = requests  # the live suggestion's: settings reach both at once
        self._view = ProvisionalSet(editor)
        self._items: list[Item] = []
        self._pass: review.ReviewPass | None = None
        self._task: asyncio.Task | None = None
        self._applying = False
        self.current = -1
        self.title = ""
        # the pass's operation, its name, style and language, for the history
        self._asked: tuple[OperationTemplate | None, str, str | None, str | None] = (None, "", None, None)
        editor.document().contentsChange.connect(self._document_changed)

    # -- state -------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    @property
    def active(self) -> bool:
        """A pass is running or suggestions are waiting for the writer."""
        return self.running or bool(self.ready())

    def items(self) -> list[Item]:
        """The paragraphs the panel lists: suggestions and the stale ones, in text order."""
        return [item for item in self._items if item.state in (State.READY, State.STALE)]

    def ready(self) -> list[Item]:
        return [item for item in self._items if item.state is State.READY]

    def item(self, key: int) -> Item | None:
        return self._items[key] if 0 <= key < len(self._items) else None

    # -- starting ----------------------------------------------------------------

    def start(self, operation: str, *, style: str | None = None, language: str | None = None) -> bool:
        """Review the selection, or the whole document, paragraph by paragraph."""
        if self.active:
            self.sig_error.emit(self.tr("A review is open: accept or reject its suggestions first."))
            return False
        try:
            op = self._requests.operation(operation)
            if not op.rewrite_like:
                raise InkwellError(
                    self.tr("{0} does not rewrite text in place, so it cannot review.").format(op.label)
                )
            self._requests.request(operation, "Check.", style=style, language=language)  # fails now
        except InkwellError as exc:
            self.sig_error.emit(exc.message)
            return False
        cursor = self._editor.textCursor()
        if cursor.hasSelection():
            offset, text = cursor.selectionStart(), self._editor.selected_text()
        else:
            offset, text = 0, self._editor.toPlainText()
        paragraphs = review.paragraphs(text)
        if not paragraphs:
            self.sig_error.emit(self.tr("There is no paragraph to review here."))
            return False
        self._clear()
        for paragraph in paragraphs:
            moved = review.Paragraph(
                paragraph.index, paragraph.start + offset, paragraph.end + offset, paragraph.text
            )
            self._items.append(Item(moved, Offset(moved.start), Offset(moved.end)))
        label = op.label if style is None else f"{op.label} ({style})"
        self.title = label
        self._asked = (op, operation, style, language)
        self._pass = review.ReviewPass(
            self._engine,
            [item.paragraph for item in self._items],
            lambda paragraph: self._requests.request(
                operation, paragraph.text, style=style, language=language
            ),
            self._still_current,
        )
        self._task = asyncio.ensure_future(self._consume(self._pass))
        self.sig_running_changed.emit(True)
        self.sig_progress.emit(0, len(self._items))
        self.sig_items_changed.emit()
        return True

    def _text(self, item: Item) -> str:
        return self._editor.text_between(item.start.position(), item.end.position())

    def _still_current(self, paragraph: review.Paragraph) -> bool:
        item = self._items[paragraph.index]
        if item.state is State.WAITING and self._text(item) == paragraph.text:
            return True
        item.state = State.STALE
        return False

    async def _consume(self, review_pass: review.ReviewPass) -> None:
        failed = 0
        try:
            async for outcome in review_pass.run():
                if review_pass is not self._pass:
                    return
                item = self._items[outcome.paragraph.index]
                if outcome.status is review.Status.CHANGED and item.state is State.WAITING:
                    if self._text(item) == item.paragraph.text:
                        item.state, item.suggestion = State.READY, outcome.suggestion
                        item.start = self._editor.tracking_cursor(item.start.position(), keep_on_insert=False)
                        item.end = self._editor.tracking_cursor(item.end.position(), keep_on_insert=True)
                        self._show(item)
                    else:  # edited while its answer was being written
                        item.state = State.STALE
                elif outcome.status is review.Status.STALE:
                    item.state = State.STALE
                else:
                    failed += outcome.status is review.Status.FAILED
                    item.state = State.DONE
                self.sig_progress.emit(review_pass.done, len(self._items))
                self.sig_items_changed.emit()
                if self.current < 0 and item.state is State.READY:
                    self.go_to(item.key, move_cursor=False)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # shown, never swallowed; what was done so far stays
            self.sig_error.emit(self.tr("The review stopped: {0}: {1}").format(type(exc).__name__, exc))
        if review_pass is self._pass:
            self._finished(review_pass, failed)

    def _finished(self, review_pass: review.ReviewPass, failed: int) -> None:
        ready, stale = len(self.ready()), sum(item.state is State.STALE for item in self._items)
        # One string per ending and number, so each language words its own plural.
        if review_pass.cancelled:
            summary = (
                self.tr("Review stopped · {0} suggestion in {1} paragraphs")
                if ready == 1
                else self.tr("Review stopped · {0} suggestions in {1} paragraphs")
            )
        else:
            summary = (
                self.tr("Review done · {0} suggestion in {1} paragraphs")
                if ready == 1
                else self.tr("Review done · {0} suggestions in {1} paragraphs")
            )
        summary = summary.format(ready, review_pass.done)
        if stale:
            summary += self.tr(" · {0} edited, skipped").format(stale)
        if failed:
            summary += self.tr(" · {0} failed").format(failed)
        self._task = None
        self.sig_running_changed.emit(False)
        self.sig_items_changed.emit()
        self.sig_finished.emit(summary)

    def cancel(self) -> None:
        """Stop the pass now; the suggestions so far stay."""
        if self._pass is not None and self.running:
            self._pass.cancel()

    # -- the writer's answers ----------------------------------------------------

    def go_to(self, key: int, *, move_cursor: bool = True) -> None:
        """Put `key`'s paragraph in focus: the cursor at its start, scrolled into view (or,
        when the pass itself picks the first suggestion, the writer's cursor left alone)."""
        item = self.item(key)
        if item is None or item.state is not State.READY:
            return
        previous, self.current = self.item(self.current), key
        if previous is not None and previous.state is State.READY:
            self._show(previous)
        self._show(item)
        if move_cursor:
            cursor = QTextCursor(self._editor.document())
            cursor.setPosition(item.start.position())
            self._editor.setTextCursor(cursor)
            self._editor.ensureCursorVisible()
        self.sig_current_changed.emit(key)

    def next(self) -> None:
        self._step(+1)

    def previous(self) -> None:
        self._step(-1)

    def _step(self, direction: int) -> None:
        """The next (or previous) suggestion after the cursor, wrapping around."""
        ready = sorted(self.ready(), key=lambda item: item.start.position())
        if not ready:
            return
        here = self._editor.textCursor().position()
        if direction > 0:
            chosen = next((item for item in ready if item.start.position() > here), ready[0])
        else:
            chosen = next((item for item in reversed(ready) if item.start.position() < here), ready[-1])
        self.go_to(chosen.key)

    def accept(self, key: int | None = None) -> None:
        """Apply one suggestion (the one in focus by default): one undo step."""
        item = self.item(self.current if key is None else key)
        if item is None or item.state is not State.READY:
            return
        self._apply([item])
        self._settled([item], "accepted")
        self._after_answer(item)

    def reject(self, key: int | None = None) -> None:
        item = self.item(self.current if key is None else key)
        if item is None or item.state is not State.READY:
            return
        item.state = State.DONE
        self._view.hide(item.key)
        self._settled([item], "rejected")
        self._after_answer(item)

    def accept_all(self) -> None:
        """Apply every waiting suggestion in one edit block: one undo step."""
        ready = self.ready()
        if ready:
            self._apply(ready)
            self._settled(ready, "accepted")
            self.current = -1
            self.sig_current_changed.emit(-1)
            self.sig_items_changed.emit()

    def reject_all(self) -> None:
        """Withdraw every suggestion; the document was never touched."""
        ready = self.ready()
        for item in ready:
            item.state = State.DONE
        self._settled(ready, "rejected")
        self._view.clear()
        self.current = -1
        self.sig_current_changed.emit(-1)
        self.sig_items_changed.emit()

    def _apply(self, items: list[Item]) -> None:
        self._applying = True
        try:
            for item in items:
                self._view.hide(item.key, update=False)
            cursor = QTextCursor(self._editor.document())
            cursor.beginEditBlock()
            for item in sorted(items, key=lambda item: item.start.position(), reverse=True):
                cursor.setPosition(item.start.position())
                cursor.setPosition(item.end.position(), QTextCursor.MoveMode.KeepAnchor)
                cursor.insertText(item.suggestion)
                item.state = State.DONE
            cursor.endEditBlock()
        finally:
            self._applying = False
        self._refresh_marks()

    def _settled(self, items: list[Item], outcome: str) -> None:
        """For the history: each paragraph as it was, what was suggested, and the answer."""
        op, name, style, language = self._asked
        entries = [
            history_entry(op, name, item.paragraph.text, item.suggestion, outcome, style, language)
            for item in sorted(items, key=lambda item: item.key)
        ]
        if entries:
            self.sig_settled.emit(entries)

    def _after_answer(self, item: Item) -> None:
        self.sig_items_changed.emit()
        if item.key == self.current:
            self.current = -1
            following = sorted(self.ready(), key=lambda other: other.start.position())
            after = [other for other in following if other.start.position() >= item.start.position()]
            if after or following:
                self.go_to((after or following)[0].key)
            else:
                self.sig_current_changed.emit(-1)

    # -- drawing and edits ---------------------------------------------------------

    def _show(self, item: Item) -> None:
        start, end = item.start, item.end
        assert isinstance(start, QTextCursor) and isinstance(end, QTextCursor)  # a shown item is ready
        self._view.show(item.key, start, end, item.suggestion, current=item.key == self.current)

    def _refresh_marks(self) -> None:
        for item in self.ready():
            self._show(item)

    def _document_changed(self, position: int, removed: int, added: int) -> None:
        """Waiting paragraphs move with the writer's edits (or, edited, are skipped at their
        turn); a suggestion whose paragraph the writer edits is withdrawn (stale), never
        applied. As with the cursors, typing just before or just after a paragraph is not
        an edit of it."""
        if not self._items:
            return
        changed = False
        shift = added - removed
        for item in self._items:
            if item.state is State.WAITING:
                start, end = item.start.position(), item.end.position()
                if position + removed <= start:
                    item.start.value, item.end.value = start + shift, end + shift  # type: ignore[union-attr]
                elif position < end and not self._applying and shift:
                    item.state = State.STALE  # edited before its turn: it will be skipped
                    changed = True
            elif item.state is State.READY and not self._applying:
                touched = item.start.position() <= position + added and position <= item.end.position()
                if touched and self._text(item) != item.paragraph.text:
                    item.state = State.STALE
                    self._view.hide(item.key)
                    changed = True
                    if item.key == self.current:
                        self.current = -1
                        self.sig_current_changed.emit(-1)
        if changed:
            self.sig_items_changed.emit()

    def _clear(self) -> None:
        self._view.clear()
        self._items = []
        self._pass = None
        self.current = -1

    def close_review(self) -> None:
        """Stop the pass and withdraw what it suggested (the window closes, a file opens)."""
        with contextlib.suppress(Exception):
            self.cancel()
            if self._task is not None:
                self._task.cancel()
            self._task = None
            self.reject_all()
            self._clear()
            self.sig_items_changed.emit()
