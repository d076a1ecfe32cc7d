"""Peak memory of the real window process: the app started as a writer starts it (offscreen
Qt, the bundled model on the fast path), one proofread of a selected paragraph accepted,
then the process's peak resident set read from inside it.

Prints JSON: the peak RSS in MB, whether the native decode step was in use, the CPU. The
goal (P8) is at most 600 MB.

    python benchmarks/window_memory.py [--cache DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = """
import json, os, resource
from PySide6.QtCore import QTimer

out = os.environ["INKWELL_MEMORY_OUT"]
stages = {}

def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS"):
            return round(int(line.split()[1]) / 1024, 1)

stages["window shown"] = rss()

def peak():
    # VmHWM starts afresh at exec; ru_maxrss keeps the parent's size from before it
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

def report(result=None):
    backend = getattr(window._engine, "_backend", None)
    data = {
        "peak_rss_mb": round(peak(), 1),
        "suggestion": bool(result is not None and result.text.strip()),
        "compiled_step": bool(backend is not None and backend.compiled),
        "step": type(backend.loaded.fast._compiled).__name__ if backend and backend.compiled else None,
        "rss_mb_by_stage": {**stages, "suggestion accepted": rss()},
    }
    with open(out, "w", encoding="utf-8") as handle:
        json.dump(data, handle)
    window.editor.document().setModified(False)
    window.close()

def finished(result):
    window.suggestions.accept()
    QTimer.singleShot(200, lambda: report(result))

def ready(_info):
    stages["model ready"] = rss()
    window.editor.selectAll()
    window.suggestions.sig_finished.connect(finished)
    window.run("proofread")

window.model.sig_ready.connect(ready)
window.model.sig_failed.connect(lambda message: report())
"""
TEXT = "The meeting was postponed because alot of them was sick, and the report were late.\n"


def measure(cache: str | None) -> dict:
    with tempfile.TemporaryDirectory(prefix="inkwell-memory-") as folder:
        work = Path(folder)
        document = work / "chapter.txt"
        document.write_text(TEXT, encoding="utf-8")
        script = work / "automation.py"
        script.write_text(SCRIPT, encoding="utf-8")
        out = work / "memory.json"
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "INKWELL_AUTOMATION": str(script),
            "INKWELL_MEMORY_OUT": str(out),
            "INKWELL_CONFIG_DIR": str(work / "config"),
            "INKWELL_DATA_DIR": str(work / "data"),
        }
        if cache:
            env["INKWELL_CACHE_DIR"] = cache
        done = subprocess.run(
            [sys.executable, str(ROOT / "main.py"), str(document)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            timeout=600,
        )
        if not out.is_file():
            raise SystemExit(
                f"the window did not report (exit {done.returncode}): {done.stderr.decode()[-2000:]}"
            )
        return json.loads(out.read_text(encoding="utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", help="the model cache to use (default: the app's own)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    import torch

    from engine.fastpath.cpu_plan import cpu_model

    result = measure(args.cache)
    result.update(
        goal_mb=600,
        within_goal=result["peak_rss_mb"] <= 600,
        cpu=cpu_model(),
        capability=torch.backends.cpu.get_cpu_capability(),
    )
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
