"""Opening a 10 MB file and typing in it: open time, key-to-paint latency, stalls.

    .venv/bin/python benchmarks/documents.py [--megabytes 10]

The reference in the same run is a small (10 kB) document: typing latency is reported
for both, with the ratio. Prints JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PARAGRAPH = (
    "The lighthouse keeper climbed the stairs every night at dusk, counting the steps as his "
    "father had, and on the last night of October he noticed a small boat drifting toward "
    "the rocks, its lantern swinging wildly in the wind.\n\n"
)


def make_file(folder: Path, size: int, name: str) -> Path:
    path = folder / name
    repeats = max(1, size // len(PARAGRAPH.encode()))
    path.write_text(PARAGRAPH * repeats, encoding="utf-8")
    return path


async def typing_latency(window, keys: int, where: str) -> dict:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QTextCursor

    from benchmarks.latency_probe import LatencyProbe

    cursor = window.editor.textCursor()
    if where == "end":
        cursor.movePosition(QTextCursor.MoveOperation.End)
    else:
        cursor.setPosition(window.editor.document().characterCount() // 2)
    window.editor.setTextCursor(cursor)
    window.editor.ensureCursorVisible()
    await asyncio.sleep(0.3)
    probe = LatencyProbe(window.editor, window.editor.viewport())
    probe.start()
    for index in range(keys):
        probe.key(Qt.Key.Key_A if index % 12 else Qt.Key.Key_Space)
        await asyncio.sleep(0.06 if index % 20 else 0.6)  # typing, with pauses that let counts run
    await asyncio.sleep(1.0)
    probe.stop()
    return {
        "keys": len(probe.key_latency),
        "key_to_paint_median_ms": round(statistics.median(probe.key_latency), 2),
        "key_to_paint_max_ms": round(max(probe.key_latency), 2),
        "event_loop_stall_max_ms": round(max(probe.lateness), 2),
    }


async def spelling_cost(window, big: Path, keys: int) -> dict:
    """Key-to-paint in the large file with the spell checker's underlines on and off,
    alternated, in the same window."""
    from dataclasses import replace

    assert window.load_file(big)
    medians: dict[bool, list[float]] = {True: [], False: []}
    for _round in range(2):
        for enabled in (True, False):
            window.apply_editor_settings(replace(window.settings.editor, spell_check=enabled))
            typed = await typing_latency(window, keys, "middle")
            medians[enabled].append(typed["key_to_paint_median_ms"])
    on, off = statistics.median(medians[True]), statistics.median(medians[False])
    window.editor.document().setModified(False)
    return {
        "key_to_paint_median_ms_spelling_on": round(on, 2),
        "key_to_paint_median_ms_spelling_off": round(off, 2),
        "spelling_adds_ms": round(on - off, 2),
        "underlined_on_screen": len(window.spelling.underlined),
    }


async def scenario(window, big: Path, small: Path, keys: int) -> dict:
    from PySide6.QtWidgets import QApplication

    report = {}
    for label, path in (("small", small), ("large", big)):
        started = time.perf_counter()
        assert window.load_file(path)
        loaded = time.perf_counter()
        QApplication.processEvents()
        painted = time.perf_counter()
        report[label] = {
            "bytes": path.stat().st_size,
            "open_s": round(loaded - started, 3),
            "open_and_first_paint_s": round(painted - started, 3),
            "typing_end": await typing_latency(window, keys, "end"),
            "typing_middle": await typing_latency(window, keys, "middle"),
        }
        window.editor.document().setModified(False)
    report["spell_check"] = await spelling_cost(window, big, keys)
    small_key = report["small"]["typing_end"]["key_to_paint_median_ms"]
    report["ratio_large_vs_small_key_to_paint"] = round(
        report["large"]["typing_end"]["key_to_paint_median_ms"] / max(small_key, 0.01), 2
    )
    return report


class _NoModel:
    """Documents only: this benchmark never asks for a model."""

    info = None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--megabytes", type=float, default=10)
    parser.add_argument("--keys", type=int, default=60)
    args = parser.parse_args()
    import qasync
    from PySide6.QtWidgets import QApplication

    from engine.app_paths import AppPaths
    from engine.engine import Engine
    from engine.prompting.templates import Catalog
    from ui.main_window import MainWindow

    app = QApplication([])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with tempfile.TemporaryDirectory(prefix="inkwell-doc-bench-") as scratch:
        folder = Path(scratch)
        big = make_file(folder, int(args.megabytes * 1_000_000), "large.md")
        small = make_file(folder, 10_000, "small.md")
        engine = Engine(_NoModel()).start()
        window = MainWindow(engine, Catalog.default(), AppPaths(folder / "data", folder / "config"))
        window.resize(1000, 700)
        window.show()
        try:
            with loop:
                report = loop.run_until_complete(scenario(window, big, small, args.keys))
        finally:
            window.editor.document().setModified(False)
            window.close()
            engine.close()
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
