"""The review panel: the pass's suggestions as a list, the one in focus as a diff, and the
buttons to move between them and answer them. Its state follows the controller's signals."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDockWidget,
    QGridLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from engine.documents.word_diff import word_diff
from ui.controllers.review import ReviewController, State
from ui.editor.suggestion_bar import diff_html

PREVIEW_CHARS = 60


def _preview(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= PREVIEW_CHARS else line[: PREVIEW_CHARS - 1] + "…"


class ReviewPanel(QDockWidget):
    def __init__(self, controller: ReviewController, parent: QWidget | None = None) -> None:
        super().__init__("Review", parent)
        self.setObjectName("ReviewPanel")
        self.controller = controller
        body = QWidget(self)
        column = QVBoxLayout(body)
        self.header = QLabel(self.tr("No review yet."), body)
        self.header.setWordWrap(True)
        self.list = QListWidget(body)
        self.diff = QTextBrowser(body)
        self.diff.setPlaceholderText(self.tr("Pick a suggestion to see its changes."))
        buttons = QGridLayout()
        self.previous_button = QPushButton(self.tr("◀ Previous"), body)
        self.next_button = QPushButton(self.tr("Next ▶"), body)
        self.accept_button = QPushButton(self.tr("Accept"), body)
        self.reject_button = QPushButton(self.tr("Reject"), body)
        self.accept_all_button = QPushButton(self.tr("Accept all"), body)
        self.reject_all_button = QPushButton(self.tr("Reject all"), body)
        self.stop_button = QPushButton(self.tr("Stop review"), body)
        for index, button in enumerate(
            (
                self.previous_button,
                self.next_button,
                self.accept_button,
                self.reject_button,
                self.accept_all_button,
                self.reject_all_button,
            )
        ):
            buttons.addWidget(button, index // 2, index % 2)
        buttons.addWidget(self.stop_button, 3, 0, 1, 2)
        column.addWidget(self.header)
        column.addWidget(self.list, 2)
        column.addWidget(self.diff, 1)
        column.addLayout(buttons)
        self.setWidget(body)
        self.setMinimumWidth(300)

        self.previous_button.clicked.connect(controller.previous)
        self.next_button.clicked.connect(controller.next)
        self.accept_button.clicked.connect(lambda: controller.accept())
        self.reject_button.clicked.connect(lambda: controller.reject())
        self.accept_all_button.clicked.connect(controller.accept_all)
        self.reject_all_button.clicked.connect(controller.reject_all)
        self.stop_button.clicked.connect(controller.cancel)
        self.list.itemActivated.connect(self._picked)
        self.list.itemClicked.connect(self._picked)
        controller.sig_items_changed.connect(self.refresh)
        controller.sig_current_changed.connect(self._show_current)
        controller.sig_progress.connect(self._progress)
        controller.sig_running_changed.connect(self._running)
        controller.sig_finished.connect(self.header.setText)
        self._running(False)
        self.refresh()

    def _progress(self, done: int, total: int) -> None:
        self.header.setText(self.tr("{0} · paragraph {1} of {2}").format(self.controller.title, done, total))

    def _running(self, running: bool) -> None:
        self.stop_button.setEnabled(running)

    def refresh(self) -> None:
        """The list as the controller holds it: one row per suggestion or stale paragraph."""
        self.list.blockSignals(True)
        self.list.clear()
        for item in self.controller.items():
            number = item.paragraph.index + 1
            if item.state is State.STALE:
                row = QListWidgetItem(
                    self.tr("¶ {0} · edited, skipped · {1}").format(number, _preview(item.paragraph.text))
                )
                row.setForeground(QColor("#8a8a8a"))
            else:
                row = QListWidgetItem(f"¶ {number} · {_preview(item.suggestion)}")
            row.setData(Qt.ItemDataRole.UserRole, item.key)
            self.list.addItem(row)
            if item.key == self.controller.current:
                self.list.setCurrentItem(row)
        self.list.blockSignals(False)
        waiting = bool(self.controller.ready())
        for button in (
            self.previous_button,
            self.next_button,
            self.accept_all_button,
            self.reject_all_button,
        ):
            button.setEnabled(waiting)
        self._show_current(self.controller.current)

    def _picked(self, row: QListWidgetItem) -> None:
        self.controller.go_to(int(row.data(Qt.ItemDataRole.UserRole)))

    def _show_current(self, key: int) -> None:
        item = self.controller.item(key)
        showing = item is not None and item.state is State.READY
        self.accept_button.setEnabled(showing)
        self.reject_button.setEnabled(showing)
        if not showing:
            self.diff.clear()
            return
        assert item is not None
        self.diff.setHtml(diff_html(word_diff(item.paragraph.text, item.suggestion)))
        for index in range(self.list.count()):
            row = self.list.item(index)
            if row.data(Qt.ItemDataRole.UserRole) == key:
                self.list.blockSignals(True)
                self.list.setCurrentItem(row)
                self.list.blockSignals(False)
