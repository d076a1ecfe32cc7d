"""Measuring how the window feels: event-loop stalls and key-to-paint latency.

A 10 ms precise QTimer records how late each tick fires (its worst lateness is the
longest stall of Qt's event loop); a key press is timed from `key()` until the editor's
viewport next paints.
"""

from __future__ import annotations

import statistics
import time

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "count": len(values),
        "median_ms": round(statistics.median(values), 2),
        "p99_ms": round(percentile(values, 0.99), 2),
        "max_ms": round(max(values), 2),
    }


class LatencyProbe(QObject):
    def __init__(self, editor: QWidget, viewport: QWidget) -> None:
        super().__init__()
        self._editor = editor
        self._viewport = viewport
        self.lateness: list[float] = []
        self.key_latency: list[float] = []
        self._pending: list[float] = []
        self._last = time.perf_counter()
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.lateness.append(max(0.0, (now - self._last) * 1000 - 10))
        self._last = now

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._pending:
            self.key_latency.append((time.perf_counter() - self._pending.pop()) * 1000)
        return False

    def start(self) -> None:
        self._viewport.installEventFilter(self)
        self._last = time.perf_counter()
        self._timer.start(10)

    def stop(self) -> None:
        self._timer.stop()
        self._viewport.removeEventFilter(self)
        self.lateness = self.lateness[1:]  # the first tick has no predecessor

    def key(self, key: Qt.Key = Qt.Key.Key_A) -> None:
        self._pending[:] = [time.perf_counter()]
        QTest.keyClick(self._editor, key)
