"""The context meter: how much of the model's context the selection and its prompt take.

It counts before anything runs, so a writer sees a selection that will not fit. Counting
is a job on the engine thread (the tokenizer lives there); a newer count makes an older
one's answer stale, and it is dropped by its number.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from engine.errors import InkwellError
from engine.jobs import Request
from engine.prompting.templates import Catalog

if TYPE_CHECKING:
    from engine.engine import Engine
    from ui.controllers.suggestions import SuggestionController
    from ui.editor.text_editor import Editor
    from ui.panels.status_bar import StatusBar

DEFAULT_REQUEST: tuple[str, dict[str, str]] = ("rewrite", {"style": "clearer"})


class ContextMeter(QObject):
    sig_counted = Signal(int, int, bool)  # tokens, context window, exact

    def __init__(
        self,
        editor: Editor,
        engine: Engine,
        suggestions: SuggestionController,
        status: StatusBar,
        catalog: Callable[[], Catalog],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._editor, self._engine, self._suggestions, self._status = editor, engine, suggestions, status
        self._catalog = catalog
        self._request = DEFAULT_REQUEST  # the last operation the writer ran, counted as theirs
        self._number = 0
        self._task: asyncio.Task[None] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(300)  # while the selection moves, count once it rests
        self._timer.timeout.connect(self.update)
        editor.selectionChanged.connect(self._timer.start)
        editor.cursorPositionChanged.connect(self._timer.start)
        suggestions.sig_started.connect(self.remember)

    def schedule(self) -> None:
        self._timer.start()

    def remember(self, request: Request) -> None:
        options = {"style": request.style} if request.style else {}
        if request.language:
            options["language"] = request.language
        if request.instruction:
            options["instruction"] = request.instruction
        self._request = (request.operation, options)

    def update(self) -> None:
        """Count the tokens the selection plus the prompt would take, before anything runs."""
        info = self._engine.info
        if info is None or not self._editor.textCursor().hasSelection():
            self._status.clear_context(
                self.tr("Select text to see how much of the model's context it takes.")
            )
            return
        operation, options = self._request
        catalog = self._catalog()
        op = catalog.operations.get(operation)
        if op is None or not op.rewrite_like:
            operation, options = DEFAULT_REQUEST
            op = catalog.get(operation)
        try:
            request = self._suggestions.build_request(operation, **options)
        except InkwellError:
            self._status.clear_context()
            return
        self._number += 1
        label = op.label + (f" ({options['style']})" if "style" in options else "")
        self._task = asyncio.ensure_future(self._count(self._number, request, label))

    async def _count(self, number: int, request: Request, label: str) -> None:
        try:
            tokens, exact = await asyncio.wrap_future(self._engine.count_prompt_tokens(request))
        except Exception:  # the meter is a hint; a failure shows nothing rather than an error
            return
        info = self._engine.info
        if number != self._number or info is None:
            return
        self._status.set_context(tokens, info.context_window, exact, label)
        self.sig_counted.emit(tokens, info.context_window, exact)

    def shutdown(self) -> None:
        self._timer.stop()
        if self._task is not None:
            self._task.cancel()
