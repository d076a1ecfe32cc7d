"""Starting the window: Qt's loop runs asyncio through qasync from the start."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from dataclasses import replace
from pathlib import Path

import qasync
from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication

from engine import log_files
from engine.app_paths import AppPaths
from engine.models.spec import ModelKind, ModelSpec
from engine.prompting.templates import Catalog
from engine.prompting.user_prompts import UserPrompts
from engine.settings import Settings, SettingsStore
from ui import translations
from ui.controllers.model_services import spec_for
from ui.gc_guard import GarbageCollector
from ui.main_window import MainWindow

AUTOMATION_ENV = "INKWELL_AUTOMATION"
ENGINE_LATEST_MS = 1000  # the engine starts at the first paint, or after this if none comes


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
    parser.add_argument("--precision", choices=["fast", "exact"], help="default: from the settings (fast)")
    parser.add_argument("--server", help="use an OpenAI-compatible server (vLLM, llama.cpp, Ollama)")
    parser.add_argument("--server-model", help="model name on the server")
    parser.add_argument("--api-key-env", help="environment variable holding the server's API key")
    parser.add_argument("--allow-download", action="store_true", help="let a hub id be downloaded")
    return parser.parse_args(argv)


def settings_for_run(settings: Settings, options: argparse.Namespace) -> Settings:
    """The stored settings with this run's command-line choices laid over them."""
    model, server = settings.model, settings.server
    if options.server:
        model = replace(model, source="server")
        server = replace(
            server,
            url=options.server,
            model=options.server_model or "",
            api_key_env=options.api_key_env or "",
        )
    elif options.model:
        spec = ModelSpec.parse(options.model, allow_download=options.allow_download)
        source = spec.kind.value
        model = replace(model, source=source, location=spec.location)
    if options.precision:
        model = replace(model, precision=options.precision)
    return replace(settings, model=model, server=server)


def run_app(argv: list[str]) -> int:
    """Open the window at once; the model loads on the engine thread meanwhile."""
    from engine.errors import InkwellError
    from engine.factory import create_engine

    options = _parse(argv)
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0]])
    app.setApplicationName("Inkwell")
    app.setOrganizationName("Inkwell")
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    collector = GarbageCollector(app)  # Qt objects are only ever freed on this thread
    paths = AppPaths.default()
    store = SettingsStore(paths.config_dir)
    stored, problems = store.load()
    translations.install(app, stored.editor.interface_language)
    prompts = UserPrompts(store.prompts_path, Catalog.default())
    problems += prompts.load()
    try:
        settings = settings_for_run(stored, options)
    except InkwellError as exc:
        settings, problems = stored, [*problems, exc.message]
    catalog = prompts.catalog()
    log_files.install(
        paths.log_dir, lambda: log_files.secrets_from_environment([settings.server.api_key_env])
    )
    logging.getLogger(__name__).info("Inkwell started")
    engine = create_engine(settings, catalog)
    window = MainWindow(engine, catalog, paths, settings=settings, prompts=prompts)
    if problems:
        window.notice.show_notice(
            QCoreApplication.translate("App", "Some settings were not used: {0}.").format("; ".join(problems))
        )
    if options.file:
        window.load_file(Path(options.file))
    window.first_paint.painted.connect(engine.start)
    window.show()
    QTimer.singleShot(ENGINE_LATEST_MS, engine.start)  # e.g. a window that starts minimized
    window.offer_recovery()
    _run_automation(window, app)
    closing = asyncio.Event()
    app.aboutToQuit.connect(closing.set)
    app.lastWindowClosed.connect(closing.set)
    with loop:
        spec = spec_for(settings)
        if isinstance(spec, ModelSpec) and spec.kind is ModelKind.HUB and options.allow_download:
            spec = replace(spec, allow_download=True)
        window.start_loading(spec)
        loop.run_until_complete(closing.wait())
    engine.close()
    collector.stop()
    return 0
