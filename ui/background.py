"""Work that is not the model's, kept off the Qt thread: one way for the whole window.

Model work goes to the engine thread (engine/engine.py). Everything else that may block
(reading a model's headers to size it, a download) runs here: in asyncio's default
executor, awaited on the Qt thread through qasync. Results therefore arrive on the Qt
thread, where widgets may be touched, with no locks and no "still alive?" flags in the
callers: `cancel_all` (when a dialog closes) cancels the waiting tasks, so a late result
is never delivered, and progress a worker reports after that is dropped too.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


class Background:
    """The background tasks of one owner (a dialog), cancelled together."""

    def __init__(self) -> None:
        self._loop = asyncio.get_event_loop()
        self._tasks: set[asyncio.Task[None]] = set()
        self._closed = False

    def run(self, work: Callable[[], T], done: Callable[[T | Exception], None]) -> None:
        """Run `work` on a worker thread; `done` gets its result, or the exception it
        raised, on the Qt thread, unless `cancel_all` came first."""

        async def wait() -> None:
            result: T | Exception
            try:
                result = await self._loop.run_in_executor(None, work)
            except Exception as exc:  # handed to `done`: never raised on a worker thread
                result = exc
            done(result)

        if self._closed or self._loop.is_closed():  # the owner's loop is gone: no one to tell
            return
        task = self._loop.create_task(wait())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def relay(self, callback: Callable[..., Any]) -> Callable[..., None]:
        """A function a worker thread may call (e.g. with progress): each call reaches
        `callback` on the Qt thread, and none does after `cancel_all`."""

        def deliver(*args: Any) -> None:
            if not self._closed:
                callback(*args)

        def relayed(*args: Any) -> None:
            if not self._closed:
                self._loop.call_soon_threadsafe(deliver, *args)

        return relayed

    def cancel_all(self) -> None:
        self._closed = True
        for task in list(self._tasks):
            task.cancel()
