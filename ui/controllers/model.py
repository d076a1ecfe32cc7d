"""The model's life as the window sees it: loading at start, switching from Preferences.

The work runs on the engine thread; this controller waits for it on the asyncio loop and
reports through signals, so the window only reacts. A failed switch leaves the previous
model in use (the engine loads the new one beside it), and says so.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from engine.errors import InkwellError
from engine.jobs import ModelInfo
from engine.models.spec import LoadSpec
from ui.background import Background

if TYPE_CHECKING:
    from engine.backends.contract import Backend
    from engine.engine import Engine


class ModelController(QObject):
    sig_loading = Signal(str, str)  # the model's name, what is happening ("Loading model…")
    sig_progress = Signal(object)  # LoadStep: a step of a long load began (a first start)
    sig_ready = Signal(object)  # ModelInfo
    sig_failed = Signal(str)  # why no model is loaded
    sig_switch_failed = Signal(str)  # why; the previous model is still in use

    def __init__(self, engine: Engine, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._engine = engine
        self._task: asyncio.Task[None] | None = None
        self._background = Background()
        self._progress = self._background.relay(self.sig_progress.emit)  # engine thread → Qt thread

    @property
    def info(self) -> ModelInfo | None:
        return self._engine.info

    def load(self, spec: LoadSpec) -> None:
        """Load the first model (at start, or again after a failure)."""
        self.sig_loading.emit(spec.display_name, self.tr("Loading model…"))
        loading = self._engine.load(spec, self._progress)
        self._task = asyncio.ensure_future(self._wait(loading, switching=False))

    def switch(self, make_backend: Callable[[], Backend], spec: LoadSpec) -> None:
        """Load `spec` into a new backend beside the current one; it replaces it on success."""
        self.sig_loading.emit(spec.display_name, self.tr("Switching model…"))
        self._task = asyncio.ensure_future(
            self._wait(self._engine.switch(make_backend, spec, self._progress), switching=True)
        )

    async def _wait(self, future: Any, *, switching: bool) -> None:
        try:
            info = await asyncio.wrap_future(future)
        except InkwellError as exc:
            message = exc.message
        except Exception as exc:
            message = self.tr("The model could not be loaded: {0}: {1}").format(type(exc).__name__, exc)
        else:
            self.sig_ready.emit(info)
            return
        (self.sig_switch_failed if switching else self.sig_failed).emit(message)

    def shutdown(self) -> None:
        self._background.cancel_all()
        if self._task is not None:
            self._task.cancel()
