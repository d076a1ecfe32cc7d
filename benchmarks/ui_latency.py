"""How the window feels while the real model streams: event-loop stalls and key latency.

    .venv/bin/python benchmarks/ui_latency.py [--tokens 200] [--busy]

A 10 ms QTimer records how late each tick fires (its worst lateness is the longest
stall of Qt's event loop), and a key press typed into another paragraph every 100 ms is
timed until the editor repaints. Both run twice in one session: idle (the reference)
and while the bundled model generates through the real engine thread. Prints JSON.
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

BENCH_OPERATION = """
[operations.bench]
label = "Benchmark"
rewrite_like = true
stop_at_blank_line = false
stop_on_loop = false
min_new_tokens = {tokens}
max_new_tokens = {tokens}
chat = "Rewrite the text below as a long, detailed essay.\\n\\n{{text}}"
"""
TEXT = (
    "Notes for Monday\n\n"
    "The meeting was postponed because a lot of the team members were sick, and we decided "
    "to reschedule it for some time next week.\n\n"
    "Typing happens here: "
)


async def measure(window, busy, duration: float | None) -> tuple[list[float], list[float]]:
    """Timer lateness and key-to-paint latency until `busy()` turns false (or `duration`)."""
    from PySide6.QtGui import QTextCursor

    from benchmarks.latency_probe import LatencyProbe

    probe = LatencyProbe(window.editor, window.editor.viewport())
    probe.start()
    started = time.perf_counter()
    while busy() if duration is None else time.perf_counter() - started < duration:
        await asyncio.sleep(0.1)
        cursor = window.editor.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End)
        window.editor.setTextCursor(cursor)
        probe.key()
    probe.stop()
    return probe.lateness, probe.key_latency


async def scenario(window, tokens: int) -> dict:
    from PySide6.QtGui import QTextCursor

    from engine.models.spec import ModelSpec

    loaded = asyncio.get_running_loop().create_future()
    window.model.sig_ready.connect(lambda info: loaded.done() or loaded.set_result(info))
    window.start_loading(ModelSpec.bundled())
    info = await loaded
    idle_late, idle_keys = await measure(window, lambda: True, duration=4.0)

    block = window.editor.document().findBlockByNumber(2)
    cursor = QTextCursor(block)
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
    window.editor.setTextCursor(cursor)
    finished = asyncio.get_running_loop().create_future()
    window.suggestions.sig_finished.connect(lambda r: finished.done() or finished.set_result(r))
    assert window.run("bench")
    busy_late, busy_keys = await measure(window, lambda: not finished.done(), duration=None)
    result = finished.result()
    window.suggestions.reject()
    from benchmarks.latency_probe import summary

    idle, busy = summary(idle_late), summary(busy_late)
    return {
        "model": info.name,
        "device": info.device,
        "new_tokens": result.new_tokens,
        "tokens_per_s": round(result.tokens_per_s, 2),
        "timer_lateness": {"idle": idle, "generating": busy},
        "key_to_paint": {"idle": summary(idle_keys), "generating": summary(busy_keys)},
        "ratios": {
            "stall_max_generating_vs_idle": round(busy["max_ms"] / max(idle["max_ms"], 0.01), 2),
            "key_median_generating_vs_idle": round(
                statistics.median(busy_keys) / max(statistics.median(idle_keys), 0.01), 2
            ),
        },
        "goal_no_stall_above_ms": 30,
        "goal_met": busy["max_ms"] <= 30,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tokens", type=int, default=200)
    parser.add_argument("--busy", action="store_true", help="a second process keeps one core busy")
    args = parser.parse_args()
    import main as inkwell_main

    inkwell_main.configure_environment()
    import qasync
    from PySide6.QtWidgets import QApplication

    from engine.app_paths import AppPaths
    from engine.factory import create_local_engine
    from engine.prompting.templates import Catalog
    from ui.main_window import MainWindow

    app = QApplication([])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    catalog = Catalog.from_toml(BENCH_OPERATION.format(tokens=args.tokens), base=Catalog.default())
    engine = create_local_engine(catalog=catalog).start()
    scratch = tempfile.TemporaryDirectory(prefix="inkwell-ui-bench-")
    window = MainWindow(engine, catalog, AppPaths(Path(scratch.name) / "data", Path(scratch.name) / "config"))
    window.resize(1000, 700)
    window.show()
    window.editor.setPlainText(TEXT)
    from benchmarks.speed import Busy

    busy = Busy() if args.busy else None
    try:
        with loop:
            report = loop.run_until_complete(scenario(window, args.tokens))
    finally:
        if busy is not None:
            busy.stop()
        window.editor.document().setModified(False)
        engine.close()
    report["busy"] = args.busy
    if args.busy:  # under load the goal is 50 ms (P8)
        report["goal_no_stall_above_ms"] = 50
        report["goal_met"] = report["timer_lateness"]["generating"]["max_ms"] <= 50
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
