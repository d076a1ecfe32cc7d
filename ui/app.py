"""Starting the window: Qt's loop runs asyncio through qasync from the start."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import qasync
from PySide6.QtWidgets import QApplication

from ui.main_window import MainWindow


def run_app(argv: list[str]) -> int:
    """Open the window at once; the model loads on the engine thread meanwhile."""
    from engine.factory import create_local_engine
    from engine.spec import ModelSpec
    from engine.templates import Catalog

    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    app.setApplicationName("Inkwell")
    app.setOrganizationName("Inkwell")
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    catalog = Catalog.default()
    engine = create_local_engine(catalog=catalog).start()
    window = MainWindow(engine, catalog)
    files = [arg for arg in argv if not arg.startswith("-")]
    if files:
        window.load_file(Path(files[0]))
    window.show()
    closing = asyncio.Event()
    app.aboutToQuit.connect(closing.set)
    app.lastWindowClosed.connect(closing.set)
    with loop:
        window.start_loading(ModelSpec.bundled())
        loop.run_until_complete(closing.wait())
    engine.close()
    return 0
