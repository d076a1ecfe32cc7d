"""The status bar: counts, the model and its state, progress while loading, and messages.

Messages (errors and hints) are non-modal: they sit at the left of the bar in colour and
fade after a while, so the writer is told without being stopped.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QWidget

MESSAGE_MS = 9000


class StatusBar(QStatusBar):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizeGripEnabled(False)
        self.message = QLabel(self)
        self.message.setObjectName("StatusMessage")
        self.counts = QLabel(self)
        self.format = QLabel(self)
        self.format.setStyleSheet("color: #6b7385;")
        self.saved = QLabel(self)
        self.saved.setStyleSheet("color: #6b7385;")
        self.context = QLabel(self)
        self.context.setObjectName("ContextMeter")
        self.model = QLabel("No model", self)
        self.state = QLabel(self)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)  # busy: loading has no measurable steps
        self.progress.setMaximumWidth(120)
        self.progress.setMaximumHeight(14)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.addWidget(self.message, 1)
        for widget in (
            self.saved,
            self.format,
            self.counts,
            self.context,
            self.model,
            self.progress,
            self.state,
        ):
            self.addPermanentWidget(widget)
        self._clear_timer = QTimer(self)
        self._clear_timer.setSingleShot(True)
        self._clear_timer.timeout.connect(self.clear_message)

    def show_error(self, text: str) -> None:
        self._show(text, "#a12a2a", "⚠ ")

    def show_hint(self, text: str) -> None:
        self._show(text, "#4a5a7a", "")

    def _show(self, text: str, colour: str, mark: str) -> None:
        self.message.setStyleSheet(f"color: {colour};")
        self.message.setText(mark + text)
        self.message.setToolTip(text)
        self._clear_timer.start(MESSAGE_MS)

    def clear_message(self) -> None:
        self.message.clear()

    def set_counts(self, words: int, lines: int) -> None:
        self.counts.setText(f"{words:,} words · {lines:,} lines")

    def set_format(self, text: str) -> None:
        self.format.setText(text)

    def set_saved(self, text: str) -> None:
        self.saved.setText(text)

    def set_context(self, used: int, window: int, exact: bool, what: str) -> None:
        """The context meter: the selection plus the prompt against the model's window."""
        approx = "" if exact else "≈"
        if window > 0:
            share = used / window
            colour = "#a12a2a" if share >= 1 else "#9a6700" if share >= 0.8 else "#6b7385"
            self.context.setText(f"Context {approx}{used:,} / {window:,}")
            tip = (
                f"{what} would send {approx}{used:,} tokens (your selection plus the prompt); "
                f"the model's context window is {window:,} tokens."
            )
            if share >= 1:
                tip += " That is too long: select a shorter passage."
        else:
            colour = "#6b7385"
            self.context.setText(f"Context {approx}{used:,} tokens")
            tip = f"{what} would send {approx}{used:,} tokens; the server's context window is not known here."
        self.context.setStyleSheet(f"color: {colour};")
        self.context.setToolTip(tip)

    def clear_context(self, hint: str = "") -> None:
        self.context.setText("")
        self.context.setToolTip(hint)

    def set_model(self, text: str, tooltip: str = "") -> None:
        self.model.setText(text)
        self.model.setToolTip(tooltip)

    def set_state(self, text: str) -> None:
        self.state.setText(text)
