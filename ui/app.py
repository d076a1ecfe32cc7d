"""Starting the window: Qt's loop runs asyncio through qasync from the start."""

from __future__ import annotations

import asyncio
import sys

import qasync
from PySide6.QtWidgets import QApplication

from ui.placeholder_window import PlaceholderWindow


async def _load_model(window: PlaceholderWindow, engine: object, spec: object) -> None:
    try:
        info = await asyncio.wrap_future(engine.load(spec))  # type: ignore[attr-defined]
    except Exception as exc:
        window.show_model_error(getattr(exc, "message", str(exc)))
        return
    window.show_model_ready(info.name, info.device)


def run_app(argv: list[str]) -> int:
    """Open the window at once; the model loads on the engine thread meanwhile."""
    from engine.factory import create_local_engine
    from engine.spec import ModelSpec

    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    app.setApplicationName("Inkwell")
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    window = PlaceholderWindow()
    window.show()
    engine = create_local_engine().start()
    closing = asyncio.Event()
    app.aboutToQuit.connect(closing.set)
    with loop:
        task = loop.create_task(_load_model(window, engine, ModelSpec.bundled()))
        loop.run_until_complete(closing.wait())
        task.cancel()
    engine.close()
    return 0
