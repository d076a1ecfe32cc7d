"""Nothing leaves the machine unless the writer asks: a whole session with the network
blocked, and a sentinel API key that must never show up anywhere."""

from __future__ import annotations

import logging
from dataclasses import replace

import pytest
from PySide6.QtGui import QTextCursor

from engine import log_files
from engine.backends.remote import RemoteBackend
from engine.engine import Engine
from engine.factory import create_local_engine
from engine.models.spec import ModelSpec, ServerSpec
from engine.prompting.templates import Catalog
from engine.settings import ServerSettings
from tests.fake_openai_server import FakeServer
from tests.network_guard import network_guard
from tests.standard_prompts import OPERATIONS, PARAGRAPH, TOPIC
from tests.ui.conftest import phase_is, run, wait_signal
from ui.main_window import MainWindow

SENTINEL = "sk-SENTINEL-7d1e90b3c2"


def select_all(window: MainWindow) -> None:
    cursor = window.editor.textCursor()
    cursor.select(QTextCursor.SelectionType.Document)
    window.editor.setTextCursor(cursor)


async def every_operation(window: MainWindow) -> int:
    ran = 0
    for operation, extra in OPERATIONS:
        window.editor.setPlainText(TOPIC if operation == "draft" else PARAGRAPH)
        select_all(window)
        finished = wait_signal(window.suggestions.sig_phase_changed, phase_is("done", ""), timeout=120)
        if window.suggestions.start(operation, **extra):
            await finished
            ran += 1
        window.suggestions.reject()
    return ran


@pytest.mark.model
def test_a_whole_local_session_reaches_no_other_machine(
    qtbot, ui_loop, cache_dir, bundled_engine, paths, tmp_path
):
    """Start, load the bundled model, run every operation, open Preferences, save."""
    with network_guard() as attempts:
        engine = create_local_engine(cache_dir=cache_dir, precision="fast").start()
        window = MainWindow(engine, Catalog.default(), paths)
        window.show()
        try:

            async def session() -> int:
                ready = wait_signal(window.model.sig_ready, timeout=120)
                window.start_loading(ModelSpec.bundled())
                await ready
                ran = await every_operation(window)
                dialog = window.open_preferences()
                estimated = wait_signal(dialog.sig_estimated, timeout=60)
                dialog.refresh_estimate()  # sizes the model: local files only
                await estimated
                dialog.close()
                return ran

            ran = run(ui_loop, session(), timeout=600)
            assert window.save_to(tmp_path / "saved.txt")
        finally:
            window.editor.document().setModified(False)
            window.close()
            engine.close(timeout=30)
    assert ran == len(OPERATIONS)
    assert attempts == []


def test_a_server_session_talks_to_that_server_only_and_never_shows_the_key(
    qtbot, ui_loop, paths, monkeypatch, tmp_path
):
    monkeypatch.setenv("INKWELL_TEST_KEY", SENTINEL)
    handler = log_files.install(
        paths.log_dir, lambda: log_files.secrets_from_environment(["INKWELL_TEST_KEY"])
    )
    errors: list[str] = []
    with FakeServer() as server:
        host, port = server.url.split("//")[1].split(":")
        with network_guard({(host, int(port))}) as attempts:
            engine = Engine(RemoteBackend(Catalog.default())).start()
            window = MainWindow(engine, Catalog.default(), paths)
            for signal in (
                window.model.sig_switch_failed,
                window.model.sig_failed,
                window.suggestions.sig_error,
            ):
                signal.connect(errors.append)
            window.show()
            try:

                async def session() -> None:
                    ready = wait_signal(window.model.sig_ready, timeout=30)
                    window.start_loading(ServerSpec(f"{server.url}/ok", api_key_env="INKWELL_TEST_KEY"))
                    await ready
                    await every_operation(window)
                    good = replace(
                        window.settings,
                        model=replace(window.settings.model, source="server"),
                        server=ServerSettings(url=f"{server.url}/ok", api_key_env="INKWELL_TEST_KEY"),
                    )
                    switched = wait_signal(window.model.sig_ready, timeout=30)
                    window.apply_settings(good)  # saved: the variable's name, never its value
                    await switched
                    failed = wait_signal(window.model.sig_switch_failed, timeout=30)
                    bad = replace(good, server=replace(good.server, url=f"{server.url}/unauthorized"))
                    window.apply_settings(bad)  # the key is wrong there: refused, and said so
                    await failed

                run(ui_loop, session(), timeout=120)
                errors += [window.status.message.text(), window.notice.label.text()]
            finally:
                window.editor.document().setModified(False)
                window.close()
                engine.close(timeout=10)
                logging.getLogger().removeHandler(handler)
                handler.close()
    assert attempts == []
    assert any("API key" in error for error in errors), errors
    assert not any(SENTINEL in error for error in errors)
    settings_file = paths.config_dir / "settings.toml"
    assert "INKWELL_TEST_KEY" in settings_file.read_text(encoding="utf-8")
    for path in [settings_file, *paths.log_dir.iterdir(), *paths.data_dir.rglob("*")]:
        if path.is_file():
            assert SENTINEL not in path.read_text(encoding="utf-8", errors="replace"), path
