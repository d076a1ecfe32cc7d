"""The window opens at once and shows the model's state when the engine thread reports it."""

from __future__ import annotations

import asyncio

import qasync

from engine.engine import Engine
from engine.spec import ModelSpec
from tests.scripted_backend import ScriptedBackend
from ui.app import _load_model
from ui.placeholder_window import PlaceholderWindow


def run_in_qasync(qapp, coro) -> None:
    loop = qasync.QEventLoop(qapp, already_running=False)
    try:
        loop.run_until_complete(asyncio.wait_for(coro, 10))
    finally:
        loop.close()


def test_window_reports_ready_after_loading(qtbot, qapp) -> None:
    window = PlaceholderWindow()
    qtbot.addWidget(window)
    window.show()
    assert window.model_label.text() == "Loading model…"
    with Engine(ScriptedBackend()) as engine:
        run_in_qasync(qapp, _load_model(window, engine, ModelSpec.bundled()))
    assert window.model_label.text() == "scripted · cpu · ready"


def test_window_reports_a_failed_load(qtbot, qapp) -> None:
    class Broken(ScriptedBackend):
        def load(self, spec):
            from engine.errors import ModelLoadError

            raise ModelLoadError("Model not found: no file at x.gguf.")

    window = PlaceholderWindow()
    qtbot.addWidget(window)
    with Engine(Broken()) as engine:
        run_in_qasync(qapp, _load_model(window, engine, ModelSpec.bundled()))
    assert window.model_label.text() == "Model unavailable: Model not found: no file at x.gguf."
