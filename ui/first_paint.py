"""Knowing when the window is first on screen: the moment the engine may start its heavy work."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget


class FirstPaint(QObject):
    """Says once when a window has first been painted. The engine thread starts then: its
    first job imports torch (seconds), which must never delay what the writer sees."""

    painted = Signal()

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.at: float | None = None  # time.time() of the first paint
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self.at is None:
            self.at = time.time()
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self.painted.emit)  # once this paint is on screen
        return False
