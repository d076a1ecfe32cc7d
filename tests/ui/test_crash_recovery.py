"""A real crash: the app as a subprocess, killed with SIGKILL, then started again."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TYPE_SCRIPT = """
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest
cursor = window.editor.textCursor()
cursor.movePosition(QTextCursor.MoveOperation.End)
window.editor.setTextCursor(cursor)
QTest.keyClicks(window.editor, "Typed before the crash.")
"""
RESTORE_SCRIPT = """
import json, os
dialog = window.recovery_dialog
offered = [dialog.list.item(i).text() for i in range(dialog.list.count())] if dialog else []
if dialog is not None:
    dialog.restore_button.click()
result = {"offered": offered, "text": window.editor.text(), "path": str(window.document.path),
          "modified": window.editor.document().isModified()}
with open(os.environ["INKWELL_TEST_OUT"], "w", encoding="utf-8") as handle:
    json.dump(result, handle)
window.editor.document().setModified(False)
window.close()
"""


def start_app(document: Path, script: Path, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), str(document)],
        cwd=ROOT,
        env={**os.environ, **env, "INKWELL_AUTOMATION": str(script), "QT_QPA_PLATFORM": "offscreen"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


@pytest.mark.model  # the app loads the bundled model in the background
def test_kill_9_then_restart_offers_and_restores_the_typed_text(tmp_path: Path, bundled_engine) -> None:
    document = tmp_path / "chapter.txt"
    document.write_bytes(b"The original chapter.\n")
    env = {"INKWELL_DATA_DIR": str(tmp_path / "data"), "INKWELL_CONFIG_DIR": str(tmp_path / "config")}
    recovery = tmp_path / "data" / "recovery"
    (tmp_path / "type.py").write_text(TYPE_SCRIPT, encoding="utf-8")
    (tmp_path / "restore.py").write_text(RESTORE_SCRIPT, encoding="utf-8")

    first = start_app(document, tmp_path / "type.py", env)
    try:
        deadline = time.monotonic() + 60
        autosaved = None
        while time.monotonic() < deadline and first.poll() is None:
            copies = list(recovery.glob("*.txt")) if recovery.is_dir() else []
            if copies and "Typed before the crash." in copies[0].read_text(encoding="utf-8"):
                autosaved = copies[0]
                break
            time.sleep(0.2)
        assert autosaved is not None, (
            first.stderr.read().decode() if first.poll() is not None else "no autosave"
        )
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    assert first.returncode == -signal.SIGKILL
    assert document.read_bytes() == b"The original chapter.\n"  # the writer's file was never touched

    out = tmp_path / "result.json"
    second = start_app(document, tmp_path / "restore.py", {**env, "INKWELL_TEST_OUT": str(out)})
    _, stderr = second.communicate(timeout=120)
    assert second.returncode == 0, stderr.decode()
    result = json.loads(out.read_text(encoding="utf-8"))
    assert len(result["offered"]) == 1
    assert result["offered"][0].startswith("chapter.txt — last autosaved ")
    assert result["text"] == "The original chapter.\nTyped before the crash."
    assert result["path"] == str(document.resolve())
    assert result["modified"]
    assert list(recovery.glob("*.txt")) == []  # closed deliberately: nothing left to recover
    assert document.read_bytes() == b"The original chapter.\n"
