"""Ask your draft, in the window: questions about the document, answers streamed into
the Ask panel, each tied to the paragraph it came from.

The document's text goes to the engine as plain text with the question; the answer comes
back as plain text with character offsets (engine/asking/job.py), which this controller
turns into highlights in the editor. A job's pieces are matched to it by its stream, so
a late piece of a stopped question is dropped. The conversation is kept per saved file
(engine/asking/history.py); an untitled document's lives only as long as the window.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QColor, QTextCursor
from PySide6.QtWidgets import QTextEdit

from engine.asking.answers import cited
from engine.asking.history import ConversationStore, Turn, as_markdown
from engine.documents.files import atomic_write
from engine.errors import InkwellError
from engine.jobs import Notice, Request
from ui.controllers.requests import RequestBuilder
from ui.editor.text_editor import Editor

LAYER = "ask"  # the editor's highlight layer for an answer's source


class AskController(QObject):
    sig_turns_changed = Signal()  # a question was answered, or the conversation was loaded or cleared
    sig_partial = Signal(str, str)  # the question being answered, and its answer so far
    sig_running_changed = Signal(bool)
    sig_error = Signal(str)

    def __init__(
        self,
        editor: Editor,
        engine: Any,
        requests: RequestBuilder,
        store: ConversationStore,
        busy: Callable[[], str] = lambda: "",
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._editor = editor
        self._engine = engine
        self._requests = requests
        self._store = store
        self._busy = busy  # why no question can run now ("a review is open…"), or ""
        self.turns: list[Turn] = []
        self.document: Path | None = None
        self._stream: Any = None
        self._task: asyncio.Task | None = None
        self.partial = ""

    @property
    def running(self) -> bool:
        return self._stream is not None

    # -- the conversation ----------------------------------------------------------

    def set_document(self, path: Path | None, *, carry: bool = False) -> None:
        """The conversation of the file now open (none for an untitled document); with
        `carry` (the document was saved under `path`), this conversation goes with it."""
        if path == self.document and not carry:
            return
        self.stop()
        self.document = path
        if carry:
            self._save()
        else:
            self.turns = self._store.load(path) if path is not None else []
            self._editor.set_selection_layer(LAYER, [])
        self.sig_turns_changed.emit()

    def clear(self) -> None:
        self.turns = []
        self._save()
        self._editor.set_selection_layer(LAYER, [])
        self.sig_turns_changed.emit()

    def export(self, path: Path) -> bool:
        """Write the conversation as Markdown."""
        title = self.document.name if self.document is not None else self.tr("Untitled")
        try:
            atomic_write(path, as_markdown(self.turns, title).encode("utf-8"))
        except InkwellError as exc:
            self.sig_error.emit(exc.message)
            return False
        return True

    def _save(self) -> None:
        if self.document is None:
            return
        try:
            self._store.save(self.document, self.turns)
        except (OSError, InkwellError) as exc:  # a full disk loses the history, never the document
            self.sig_error.emit(self.tr("The questions could not be kept: {0}").format(exc))

    # -- asking ----------------------------------------------------------------------

    def ask(self, question: str) -> bool:
        """Ask `question` about the whole document; False (with a message) if it cannot run."""
        question = question.strip()
        if not question:
            self.sig_error.emit(self.tr("Type a question about the document first."))
            return False
        busy = self._busy()
        if busy:
            self.sig_error.emit(busy)
            return False
        try:
            previous = self.turns[-1].question if self.turns else ""  # a follow-up may refer back to it
            request = self._requests.request(
                "ask", self._editor.toPlainText(), instruction=question, before=previous
            )
        except InkwellError as exc:
            self.sig_error.emit(exc.message)
            return False
        self.stop()
        self.partial = ""
        self._stream = self._engine.stream(request)
        self._task = asyncio.ensure_future(self._consume(self._stream, request, question))
        self.sig_running_changed.emit(True)
        self.sig_partial.emit(question, "")
        return True

    async def _consume(self, stream: Any, request: Request, question: str) -> None:
        failure = ""
        try:
            async for piece in stream:
                if stream is not self._stream:
                    return  # a newer question replaced this one
                if isinstance(piece, Notice):
                    continue
                self.partial += piece
                self.sig_partial.emit(question, self.partial)
            result = stream.result
        except InkwellError as exc:
            failure, result = exc.message, None
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # shown, never swallowed
            failure, result = self.tr("Asking failed: {0}: {1}").format(type(exc).__name__, exc), None
        if stream is not self._stream:
            return
        self._stream = None
        if result is not None and result.text.strip():
            spans = [span for sentence in result.sources for span in sentence.sources]
            sources = tuple((c["paragraph"], c["start"], c["end"]) for c in cited(request.text, spans))
            answer = result.text if not result.cancelled else result.text.rstrip() + " …"
            self.turns.append(Turn(question, answer, sources, bool(sources)))
            self._save()
            self.sig_turns_changed.emit()
        elif failure:
            self.sig_error.emit(failure)
        self.sig_running_changed.emit(False)

    def stop(self) -> None:
        """End the answer now; what arrived is kept, marked as cut off."""
        if self._stream is not None:
            self._stream.cancel()

    def shutdown(self) -> None:
        self.stop()
        if self._task is not None and not self._task.done():
            with contextlib.suppress(Exception):
                self._task.cancel()

    # -- sources -----------------------------------------------------------------------

    def show_source(self, index: int) -> bool:
        """Highlight the passage answer `index` came from and scroll it into view (a quote
        is found again where the writer's edits moved it); False when it is gone."""
        if not 0 <= index < len(self.turns) or not self.turns[index].sources:
            return False
        turn = self.turns[index]
        marks = []
        text = self._editor.toPlainText()
        for _paragraph, start, end in turn.sources:
            if text[start:end] != turn.answer and turn.answer in text:  # a quote the writer's edits moved
                start = text.find(turn.answer)
                end = start + len(turn.answer)
            if end > len(text):
                self.sig_error.emit(self.tr("That passage has been changed since the answer was given."))
                return False
            mark = QTextEdit.ExtraSelection()
            mark.format.setBackground(QColor("#fff1a8"))
            cursor = QTextCursor(self._editor.document())
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            mark.cursor = cursor
            marks.append(mark)
        self._editor.set_selection_layer(LAYER, marks)
        cursor = QTextCursor(marks[0].cursor)
        cursor.clearSelection()
        self._editor.setTextCursor(cursor)
        self._editor.ensureCursorVisible()
        return True
