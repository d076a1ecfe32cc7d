"""The window first, the model after: `main.py` shows its window before torch is imported,
and the model still loads behind it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
import json, os, sys, time
from PySide6.QtCore import QTimer

shown = {"torch": "torch" in sys.modules, "transformers": "transformers" in sys.modules,
         "visible": window.isVisible()}

def wait_for_the_model(tries=[0]):
    tries[0] += 1
    if window._engine.info is not None or tries[0] > 1200:
        shown["model"] = window._engine.info.name if window._engine.info else None
        shown["torch_later"] = "torch" in sys.modules
        with open(os.environ["INKWELL_TEST_OUT"], "w", encoding="utf-8") as handle:
            json.dump(shown, handle)
        window.editor.document().setModified(False)
        window.close()
    else:
        QTimer.singleShot(100, wait_for_the_model)

wait_for_the_model()
"""


@pytest.mark.model  # the app loads the bundled model once the window is up
def test_the_window_shows_before_torch_is_imported_and_the_model_loads_after(
    tmp_path: Path, bundled_engine
) -> None:
    script = tmp_path / "startup.py"
    script.write_text(SCRIPT, encoding="utf-8")
    out = tmp_path / "out.json"
    env = {
        **os.environ,
        "INKWELL_AUTOMATION": str(script),
        "INKWELL_TEST_OUT": str(out),
        "QT_QPA_PLATFORM": "offscreen",
        "INKWELL_DATA_DIR": str(tmp_path / "data"),
        "INKWELL_CONFIG_DIR": str(tmp_path / "config"),
        "INKWELL_NO_COMPILE": "1",
    }
    done = subprocess.run(
        [sys.executable, str(ROOT / "main.py")], cwd=ROOT, env=env, capture_output=True, timeout=300
    )
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    shown = json.loads(out.read_text(encoding="utf-8"))
    assert shown["visible"]
    assert not shown["torch"] and not shown["transformers"]  # the window came first
    assert shown["model"] and shown["model"].startswith("SmolLM2-135M-Instruct")
    assert shown["torch_later"]


def test_no_window_module_imports_torch() -> None:
    """Every module of ui/ imports without torch: one that pulls an engine module built on
    torch (a rewrite helper, say) would hold the first window back by seconds."""
    modules = sorted(
        ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for path in (ROOT / "ui").rglob("*.py")
        if path.name != "__init__.py"
    )
    probe = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted(m for m in ('torch', 'transformers') if m in sys.modules)))\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    assert len(modules) > 20
    assert json.loads(done.stdout) == []
