"""Starting the window: Qt's loop runs asyncio through qasync from the start."""

from __future__ import annotations

import argparse
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


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="inkwell", description="Inkwell, the offline writing assistant.")
    parser.add_argument("file", nargs="?", help="a .txt or .md file to open")
    parser.add_argument("--model", help="bundled (default), a model folder, a .gguf file or a cached hub id")
    parser.add_argument("--precision", default="fast", choices=["fast", "exact"])
    parser.add_argument("--server", help="use an OpenAI-compatible server (vLLM, llama.cpp, Ollama)")
    parser.add_argument("--server-model", help="model name on the server")
    parser.add_argument("--api-key-env", help="environment variable holding the server's API key")
    parser.add_argument("--allow-download", action="store_true", help="let a hub id be downloaded")
    return parser.parse_args(argv)


def run_app(argv: list[str]) -> int:
    """Open the window at once; the model loads on the engine thread meanwhile."""
    from engine.errors import InkwellError
    from engine.factory import create_local_engine
    from engine.spec import ModelKind, ModelSpec
    from engine.templates import Catalog

    options = _parse(argv)
    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setApplicationName("Inkwell")
    app.setOrganizationName("Inkwell")
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    catalog = Catalog.default()
    if options.server:
        from engine.factory import create_remote_engine

        engine = create_remote_engine(
            options.server, model=options.server_model, api_key_env=options.api_key_env, catalog=catalog
        ).start()
    else:
        engine = create_local_engine(catalog=catalog, precision=options.precision).start()
    window = MainWindow(engine, catalog, AppPaths.default())
    if options.file:
        window.load_file(Path(options.file))
    window.show()
    window.offer_recovery()
    _run_automation(window, app)
    closing = asyncio.Event()
    app.aboutToQuit.connect(closing.set)
    app.lastWindowClosed.connect(closing.set)
    with loop:
        try:
            spec = (
                ModelSpec(ModelKind.HUB, options.server)
                if options.server
                else ModelSpec.parse(options.model, allow_download=options.allow_download)
            )
        except InkwellError as exc:
            window.status.show_error(exc.message)
        else:
            window.start_loading(spec)
        loop.run_until_complete(closing.wait())
    engine.close()
    return 0
