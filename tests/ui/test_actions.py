"""Menus and shortcuts: built-in operations take their keys from the catalog, as the
writer's own operations do."""

from __future__ import annotations

from pathlib import Path

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
        assert actions.operations["summarize"].shortcut() == QKeySequence("Ctrl+Alt+S")
        assert actions.operations["proofread"].shortcut() == QKeySequence("Ctrl+Shift+P")
        assert actions.styles["rewrite"]["shorter"].shortcut() == QKeySequence("Ctrl+Shift+H")
        assert "Ctrl+Alt+S" in actions.taken_shortcuts()  # a custom operation cannot take it
        assert actions.operations["proofread"].isEnabled()  # the model is ready
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


BULLETS = Path(__file__).resolve().parents[1] / "data" / "bullets.toml"


def test_an_operation_added_to_the_prompts_file_appears_in_every_place(qtbot, ui_loop, paths) -> None:
    """One table in prompts.toml (tests/data/bullets.toml laid over the defaults, as the
    built-in file would hold it) and nothing else: the menus, the palette, the toolbar,
    the review pass and the messages all have it (the CLI: tests/engine/test_cli.py)."""
    from PySide6.QtWidgets import QMenu, QToolBar

    from engine.engine import Engine
    from tests.ui.conftest import load, select_block, trigger_until_done

    catalog = Catalog.from_toml(BULLETS.read_text(encoding="utf-8"), base=Catalog.default())
    assert not catalog.get("bullets").custom  # a built-in, not the writer's own
    backend = ScriptedBackend(reply="- one\n- two")
    backend.catalog = catalog
    engine = Engine(backend).start()
    window = MainWindow(engine, catalog, paths)
    try:
        window.editor.setPlainText("First.\n\nThe second paragraph has three facts.")
        run(ui_loop, load(window))
        actions = window.menu_actions
        entry = actions.operations["bullets"]
        assert entry.text() == "&Bullet points" and entry.shortcut() == QKeySequence("Ctrl+Alt+B")
        assert entry in actions.assistant_menu.actions()
        context = QMenu()
        actions.add_context_actions(context)
        assert entry in context.actions()
        assert entry in window.findChild(QToolBar, "AssistantToolbar").actions()
        assert [(c.title, c.options) for c in actions.commands() if c.operation == "bullets"] == [
            ("Make bullet points", {})
        ]
        assert window.review_choices()["Bullet points"] == ("bullets", None)
        assert "Ctrl+Alt+B" in actions.taken_shortcuts()
        cursor = window.editor.textCursor()
        cursor.clearSelection()
        window.editor.setTextCursor(cursor)
        entry.trigger()
        assert "Select the text to make bullet points first." in window.status.message.text()
        select_block(window, 2)
        trigger_until_done(ui_loop, window, entry)
        assert "Turn the text below into a short bulleted list." in backend.prompts_sent[-1]
        window.suggestions.accept()
        assert window.editor.toPlainText() == "First.\n\n- one\n- two"
    finally:
        window.editor.document().setModified(False)
        window.close()
        window.deleteLater()
        assert engine.close(timeout=5)


def test_no_two_actions_of_the_window_share_a_key(window: MainWindow) -> None:
    """A key two actions claim does nothing in Qt ("ambiguous shortcut"): each must be one's."""
    from PySide6.QtGui import QAction

    owners: dict[str, set[str]] = {}
    for action in window.findChildren(QAction):
        for key in action.shortcuts():
            owners.setdefault(key.toString(), set()).add(action.text().replace("&", ""))
    shared = {key: names for key, names in owners.items() if len(names) > 1}
    assert shared == {}
    assert window.menu_actions.history.shortcut() == QKeySequence("Ctrl+Shift+L")
    assert "Ctrl+Shift+H" in owners  # Shorter's, from the catalog
