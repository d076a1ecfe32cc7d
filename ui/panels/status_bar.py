"""The status bar: counts, the model and its state, progress while loading, and messages.

Messages (errors and hints) are non-modal: they sit at the left of the bar in colour and
fade after a while, so the writer is told without being stopped.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QWidget

from engine.models.progress import LoadStep
from ui import translations

MESSAGE_MS = 9000
TICK_MS = 200  # how often the load bar moves between the steps the engine announces


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
        self.model = QLabel(self.tr("No model"), self)
        self.state = QLabel(self)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)  # busy until the first step is announced
        self.progress.setMaximumWidth(120)
        self.progress.setMaximumHeight(14)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self._step: LoadStep | None = None
        self._step_started = 0.0
        self._load_started = 0.0
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self._show_step)
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
        self.counts.setText(self.tr("{0:,} words · {1:,} lines").format(words, lines))

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
            self.context.setText(self.tr("Context {0}{1:,} / {2:,}").format(approx, used, window))
            tip = self.tr(
                "{0} would send {1}{2:,} tokens (your selection plus the prompt); "
                "the model's context window is {3:,} tokens."
            ).format(what, approx, used, window)
            if share >= 1:
                tip += self.tr(" That is too long: select a shorter passage.")
        else:
            colour = "#6b7385"
            self.context.setText(self.tr("Context {0}{1:,} tokens").format(approx, used))
            tip = self.tr(
                "{0} would send {1}{2:,} tokens; the server's context window is not known here."
            ).format(what, approx, used)
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

    # -- loading a model -------------------------------------------------------------

    def start_loading(self, state: str) -> None:
        """A busy bar until the engine announces the load's steps."""
        self._step, self._load_started = None, time.monotonic()
        self.progress.setRange(0, 0)
        self.progress.show()
        self.set_state(state)

    def show_load_step(self, step: LoadStep) -> None:
        """A step began: the bar becomes determinate and moves with the expected times."""
        if not self.progress.isVisible():
            return  # a late step of a load that has already ended
        self._step, self._step_started = step, time.monotonic()
        self.progress.setRange(0, 1000)
        self._show_step()
        self._tick.start()

    def _show_step(self) -> None:
        step = self._step
        if step is None:
            return
        now = time.monotonic()
        in_step = now - self._step_started
        expected = step.expected[step.index]
        total = sum(step.expected)
        # Within a step the bar moves with its expected time and waits at 95% of it; the
        # time left scales the steps to come by how the finished ones went on this machine.
        done = total * step.fraction_before() + min(in_step, 0.95 * expected)
        self.progress.setValue(int(1000 * done / total))
        finished = self._step_started - self._load_started
        pace = finished / (total * step.fraction_before()) if step.index and finished > 0 else 1.0
        left = max(expected - in_step, 0.0) + pace * sum(step.expected[step.index + 1 :])
        about = self.tr(" · about {0:.0f} s left").format(left) if left >= 2 else ""
        count = len(step.labels)
        label = translations.load_step(step.label)
        self.set_state(self.tr("{0}… ({1} of {2}){3}").format(label, step.index + 1, count, about))
        where = self.tr("step {0} of {1}, {2}").format(step.index + 1, count, label)
        self.progress.setToolTip(self.tr("Loading the model: {0}.").format(where))

    def stop_loading(self) -> None:
        self._tick.stop()
        self._step = None
        self.progress.hide()
