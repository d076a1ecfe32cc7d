"""Starting the window: Qt's loop runs asyncio through qasync from the start."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import qasync
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from ui.app_paths import AppPaths
from ui.main_window import MainWindow

AUTOMATION_ENV = "INKWELL_AUTOMATION"


def _run_automation(window: MainWindow, app: QApplication) -> None:
    """Run a script inside the app once it is up (end-to-end tests of the real process).

    Off unless INKWELL_AUTOMATION names a Python file; the script gets `window` and `app`.
    """
    script = os.environ.get(AUTOMATION_ENV)
    if not script:
        return
    code = compile(Path(script).read_text(encoding="utf-8"), script, "exec")
    namespace = {"window": window, "app": app, "__name__": "__inkwell_automation__"}
    QTimer.singleShot(0, lambda: exec(code, namespace))


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
    window = MainWindow(engine, catalog, AppPaths.default())
    files = [arg for arg in argv if not arg.startswith("-")]
    if files:
        window.load_file(Path(files[0]))
    window.show()
    window.offer_recovery()
    _run_automation(window, app)
    closing = asyncio.Event()
    app.aboutToQuit.connect(closing.set)
    app.lastWindowClosed.connect(closing.set)
    with loop:
        window.start_loading(ModelSpec.bundled())
        loop.run_until_complete(closing.wait())
    engine.close()
    return 0
