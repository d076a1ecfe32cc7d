"""UI fixtures: a qasync loop on the test's QApplication, and a window on a scripted engine."""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import qasync
from PySide6.QtCore import SignalInstance
from PySide6.QtGui import QTextCursor

from engine.app_paths import AppPaths
from engine.engine import Engine
from engine.models.spec import ModelSpec
from engine.prompting.templates import Catalog
from tests.scripted_backend import ScriptedBackend
from ui.gc_guard import GarbageCollector
from ui.main_window import MainWindow

ORIGINAL = (
    "Notes for Monday\n\n"
    "The meeting was postponed because alot of the team members was sick.\n\n"
    "The budget review follows on Friday."
)
REPLY = "The meeting was moved because many of the team were ill, and it will be held next week instead."


@pytest.fixture(scope="session", autouse=True)
def collect_on_the_qt_thread(qapp) -> Iterator[None]:
    """As in the app: Python's cycle collector never runs on a worker thread."""
    collector = GarbageCollector()
    yield
    collector.stop()


@pytest.fixture(autouse=True)
def collect_after_each_test() -> Iterator[None]:
    """Windows of one test are freed on the Qt thread before the next test starts."""
    yield
    gc.collect()


@pytest.fixture
def ui_loop(qapp) -> Iterator[qasync.QEventLoop]:
    loop = qasync.QEventLoop(qapp, already_running=False)
    asyncio.set_event_loop(loop)
    yield loop
    loop.close()
    asyncio.set_event_loop(None)


@pytest.fixture
def backend() -> ScriptedBackend:
    return ScriptedBackend(reply=REPLY, delay=0.01)


@pytest.fixture
def paths(tmp_path) -> AppPaths:
    return AppPaths(tmp_path / "data", tmp_path / "config")


@contextlib.contextmanager
def open_window(
    ui_loop: qasync.QEventLoop, engine: Engine, paths: AppPaths, **options: Any
) -> Iterator[MainWindow]:
    """A shown window on `engine` with the test document, its model loaded; closed after."""
    window = MainWindow(engine, Catalog.default(), paths, **options)
    window.resize(900, 600)
    window.show()
    window.editor.setPlainText(ORIGINAL)
    window.editor.document().setModified(False)
    run(ui_loop, load(window))
    yield window
    window.editor.document().setModified(False)  # closing must not stop to ask
    window.close()
    window.deleteLater()
    assert engine.close(timeout=5)


@pytest.fixture
def window(qtbot, ui_loop, backend: ScriptedBackend, paths: AppPaths) -> Iterator[MainWindow]:
    with open_window(ui_loop, Engine(backend).start(), paths) as window:
        yield window


async def load(window: MainWindow) -> None:
    ready = wait_signal(window.model.sig_ready)
    window.start_loading(ModelSpec.bundled())
    await ready


def run(loop: qasync.QEventLoop, coro: Any, timeout: float = 20) -> Any:
    return loop.run_until_complete(asyncio.wait_for(coro, timeout))


def wait_signal(
    signal: SignalInstance, check: Callable[..., bool] | None = None, timeout: float = 10
) -> asyncio.Future:
    """A future for the next emission of `signal` whose arguments pass `check`."""
    future: asyncio.Future = asyncio.get_event_loop().create_future()

    def handler(*args: Any) -> None:
        if not future.done() and (check is None or check(*args)):
            future.set_result(args)

    signal.connect(handler)
    future.add_done_callback(lambda _f: signal.disconnect(handler))
    return asyncio.ensure_future(asyncio.wait_for(future, timeout))


def select_block(window: MainWindow, number: int) -> tuple[int, int]:
    block = window.editor.document().findBlockByNumber(number)
    cursor = QTextCursor(block)
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
    window.editor.setTextCursor(cursor)
    return cursor.selectionStart(), cursor.selectionEnd()


def phase_is(*phases: str) -> Callable[[str], bool]:
    return lambda phase: phase in phases


def trigger_until_done(loop: qasync.QEventLoop, window: MainWindow, action: Any) -> None:
    """Trigger a menu action and wait until its suggestion has finished streaming."""

    async def scenario() -> None:
        done = wait_signal(window.suggestions.sig_phase_changed, phase_is("done"))
        action.trigger()
        await done

    run(loop, scenario())
