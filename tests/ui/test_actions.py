"""Menus and shortcuts: built-in operations take their keys from the catalog, as the
writer's own operations do."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence

from engine.prompting.templates import Catalog
from engine.prompting.user_prompts import UserPrompts
from tests.scripted_backend import ScriptedBackend
from tests.ui.conftest import run
from ui.actions import operation_shortcut
from ui.main_window import MainWindow


def test_built_in_shortcuts_are_read_from_the_prompts_resource() -> None:
    catalog = Catalog.default()
    assert operation_shortcut(catalog, "proofread") == "Ctrl+Shift+P"
    assert operation_shortcut(catalog, "rewrite", "clearer") == "Ctrl+Shift+R"
    assert operation_shortcut(catalog, "rewrite", "formal") == ""
    assert operation_shortcut(catalog, "no such operation") == ""
    changed = Catalog.from_toml('[operations.proofread]\nshortcut = "Ctrl+Alt+P"\n', base=catalog)
    assert operation_shortcut(changed, "proofread") == "Ctrl+Alt+P"
    assert changed.get("proofread").chat == catalog.get("proofread").chat  # only the key changed


def test_the_window_uses_the_catalogs_keys_for_built_in_operations(qtbot, ui_loop, paths) -> None:
    from engine.engine import Engine
    from tests.ui.conftest import load

    prompts = UserPrompts(paths.config_dir / "prompts.toml")
    prompts.data = {"operations": {"summarize": {"shortcut": "Ctrl+Alt+S"}}}
    catalog = prompts.catalog()
    engine = Engine(ScriptedBackend()).start()
    window = MainWindow(engine, catalog, paths, prompts=prompts)
    try:
        run(ui_loop, load(window))
        actions = window.menu_actions
        assert actions.summarize.shortcut() == QKeySequence("Ctrl+Alt+S")
        assert actions.proofread.shortcut() == QKeySequence("Ctrl+Shift+P")
        assert actions.rewrite["shorter"].shortcut() == QKeySequence("Ctrl+Shift+H")
        assert "Ctrl+Alt+S" in actions.taken_shortcuts()  # a custom operation cannot take it
        assert actions.proofread.isEnabled()  # the model is ready
    finally:
        window.editor.document().setModified(False)
        window.close()
        window.deleteLater()
        assert engine.close(timeout=5)


def test_help_opens_the_log_folder(window, monkeypatch, paths) -> None:
    from ui import main_window

    opened = []
    monkeypatch.setattr(main_window.QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    window.menu_actions.open_logs.trigger()
    assert [url.toLocalFile() for url in opened] == [str(paths.log_dir)]
    assert paths.log_dir.is_dir()
