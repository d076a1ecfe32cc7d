"""Python's cycle collector, run on the Qt thread only.

The collector runs on whichever thread happens to allocate when a threshold is crossed:
the engine thread, a download or size-estimate worker. If it frees the last reference to
a Qt object there, the object is destroyed on the wrong thread; its timers stay
registered with the Qt thread's event loop and the next timer event crashes the process
(seen in the test run: a SIGSEGV in QTimerInfoList::activateTimers). So automatic
collection is turned off and this timer collects on the Qt thread instead, generation by
generation as the thresholds say (the pattern PyQt applications use).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500


class GarbageCollector(QObject):
    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self._threshold = gc.get_threshold()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    def check(self) -> None:
        """Collect the generations whose counts passed their thresholds, youngest first."""
        first, second, third = gc.get_count()
        if first > self._threshold[0]:
            gc.collect(0)
            if second > self._threshold[1]:
                gc.collect(1)
                if third > self._threshold[2]:
                    gc.collect(2)

    def stop(self) -> None:
        self._timer.stop()
        gc.enable()
