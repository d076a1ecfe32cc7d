"""The 简体中文 interface: every visible string goes through tr(), every one is translated,
and the window shows them when the translator is installed."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale

from ui import translations

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "translations" / "inkwell_zh_CN.ts"
# Calls whose string arguments the writer reads.
VISIBLE = {
    "QAction", "_action", "_assistant", "setText", "addMenu", "QMenu", "QToolBar", "QLabel",
    "setWindowTitle", "setToolTip", "setPlaceholderText", "addRow", "QPushButton", "QCheckBox",
    "show_error", "set_state", "show_notice", "question", "warning", "information", "critical",
    "getItem", "getText", "getSaveFileName", "getOpenFileName", "setStatusTip", "addItem",
    "setSpecialValueText", "setSuffix", "QGroupBox", "setTitle", "addTab", "Command", "emit",
    "set_saved", "showMessage", "setIconText", "setFormat",
}  # fmt: skip
WORDS = re.compile(r"[A-Za-z]{2,}")
# Not words for a reader: markup, file filters handled by tr() elsewhere, technical names.
NOT_PROSE = re.compile(
    r"^(<span style='color:[^']*'>\{[^}]*\}</span>|CUDA GPU|CPU|float\d+|bfloat16|⚠ .*"
    r"|(Ctrl|Shift|Alt|F\d)[^ ]*"  # key sequences
    r"|[a-z_:]+)$"  # operation names, which are identifiers
)


def _text_of(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(str(v.value) if isinstance(v, ast.Constant) else "{}" for v in node.values)
    return None


def bare_strings() -> list[str]:
    found = []
    for path in sorted((ROOT / "ui").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name not in VISIBLE:
                continue
            candidates = list(node.args)
            for arg in node.args:  # notice buttons: [("Reload", slot), ...]
                if isinstance(arg, ast.List):
                    candidates += [item.elts[0] for item in arg.elts if isinstance(item, ast.Tuple)]
            for arg in candidates:
                text = _text_of(arg)
                if text and WORDS.search(text) and not NOT_PROSE.match(text):
                    found.append(f"{path.relative_to(ROOT)}:{arg.lineno}: {text!r}")
    return found


def test_every_visible_string_goes_through_tr() -> None:
    assert bare_strings() == []


def test_lupdate_finds_no_string_without_a_chinese_translation(tmp_path: Path) -> None:
    """Run pyside6-lupdate over ui/ as `make translations` does: a new tr() string joins
    the .ts unfinished, and this fails until someone translates it."""
    lupdate = shutil.which("pyside6-lupdate", path=str(Path(sys.executable).parent))
    assert lupdate, "pyside6-lupdate comes with PySide6"
    copy = tmp_path / TS.name
    shutil.copy(TS, copy)
    sources = sorted(str(path) for path in (ROOT / "ui").rglob("*.py"))
    subprocess.run([lupdate, *sources, "-ts", str(copy), "-no-obsolete"], check=True, capture_output=True)
    root = ET.parse(copy).getroot()
    # A tr() outside a class lands in no context, where no lookup at run time finds it.
    assert all(context.findtext("name") for context in root.iter("context"))
    messages = root.iter("message")
    untranslated = [
        message.findtext("source")
        for message in messages
        if message.find("translation").get("type") == "unfinished" or not message.findtext("translation")
    ]
    assert untranslated == []
    assert len(list(ET.parse(copy).getroot().iter("message"))) > 200


def test_the_locale_chooses_the_language_unless_the_writer_did() -> None:
    assert translations.resolve("system", QLocale("zh_CN")) == "zh_CN"
    assert translations.resolve("system", QLocale("zh_TW")) == "zh_CN"  # the nearest we have
    assert translations.resolve("system", QLocale("de_DE")) == "en"
    assert translations.resolve("en", QLocale("zh_CN")) == "en"


@pytest.fixture
def chinese(qapp):
    from PySide6.QtCore import QTranslator

    before = set(qapp.findChildren(QTranslator))
    assert translations.install(qapp, "zh_CN") == "zh_CN", "run `make translations` (the .qm is built)"
    yield
    for translator in set(qapp.findChildren(QTranslator)) - before:
        qapp.removeTranslator(translator)
        translator.deleteLater()
    translations.install(qapp, "en")  # the labels of operations follow the language too


def test_the_window_and_preferences_speak_chinese(chinese, window) -> None:
    titles = [action.text() for action in window.menuBar().actions()]
    assert titles[:3] == ["文件(&F)", "编辑(&E)", "助手(&A)"]
    # operations take their labels from resources/prompts.toml's translations.zh_CN
    assistant = window.menu_actions.assistant_menu.actions()
    assert [a.text() for a in assistant[:6]] == [
        "改写(&R)",
        "校对(&P)",
        "摘要(&S)",
        "翻译(&T)",
        "续写(&C)",
        "起草(&D)…",
    ]
    assert "改写：更清晰" in [command.title for command in window.menu_actions.commands()]
    dialog = window.open_preferences()
    assert [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())] == ["模型", "生成", "编辑器"]
    assert dialog.source.itemText(0) == "内置模型（SmolLM2-135M-Instruct）"
    dialog.close()


def test_changing_the_interface_language_says_when_it_applies(window) -> None:
    from dataclasses import replace

    settings = window.settings
    window.apply_settings(replace(settings, editor=replace(settings.editor, interface_language="zh_CN")))
    assert "next time Inkwell starts" in window.notice.label.text()
    assert window.settings_store.load()[0].editor.interface_language == "zh_CN"
