"""The History panel: the open document's accepted and rejected suggestions, newest
first, each with what it replaced. Its state follows the controller's signal."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from engine.documents.suggestion_history import HistoryEntry
from ui.controllers.history import HistoryController

PREVIEW_CHARS = 90


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= PREVIEW_CHARS else flat[: PREVIEW_CHARS - 1].rstrip() + "…"


class HistoryPanel(QDockWidget):
    def __init__(
        self,
        controller: HistoryController,
        label: Callable[[str], str] = str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Suggestion history"))
        self.setObjectName("HistoryPanel")
        self.controller = controller
        self._label = label  # an operation's name as the menus show it
        body = QWidget(self)
        column = QVBoxLayout(body)
        self.entries = QListWidget(body)
        self.entries.setWordWrap(True)
        self.entries.setAlternatingRowColors(True)
        self.reinsert_button = QPushButton(self.tr("Insert again"), body)
        self.reinsert_button.setToolTip(self.tr("Put this suggestion at the cursor, to accept or reject"))
        self.copy_button = QPushButton(self.tr("Copy"), body)
        self.clear_button = QPushButton(self.tr("Clear"), body)
        buttons = QHBoxLayout()
        for button in (self.reinsert_button, self.copy_button, self.clear_button):
            buttons.addWidget(button)
        column.addWidget(self.entries, 1)
        column.addLayout(buttons)
        self.setWidget(body)
        self.setMinimumWidth(300)

        self.reinsert_button.clicked.connect(self._reinsert)
        self.copy_button.clicked.connect(lambda: controller.copy(self.current()))
        self.clear_button.clicked.connect(controller.clear)
        self.entries.itemActivated.connect(lambda _item: self._reinsert())
        self.entries.currentRowChanged.connect(lambda _row: self._enable())
        controller.sig_changed.connect(self.refresh)
        self.refresh()

    def _describe(self, entry: HistoryEntry) -> str:
        outcome = self.tr("Accepted") if entry.outcome == "accepted" else self.tr("Rejected")
        what = self._label(entry.operation)
        if entry.style or entry.language:
            what += f" ({entry.style or entry.language})"
        when = time.strftime("%d %b %H:%M", time.localtime(entry.at))
        text = f"{outcome} · {what} · {when}\n{_short(entry.suggestion)}"
        if entry.original:
            text += "\n" + self.tr("was: {0}").format(_short(entry.original))
        return text

    def refresh(self) -> None:
        self.entries.clear()
        for index in reversed(range(len(self.controller.entries))):  # newest first
            entry = self.controller.entries[index]
            item = QListWidgetItem(self._describe(entry))
            item.setData(Qt.ItemDataRole.UserRole, index)
            item.setToolTip(entry.suggestion)
            if entry.outcome == "rejected":
                item.setForeground(Qt.GlobalColor.darkGray)
            self.entries.addItem(item)
        if self.entries.count():
            self.entries.setCurrentRow(0)
        self._enable()

    def current(self) -> int:
        """The controller's index of the selected entry, or -1."""
        item = self.entries.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item is not None else -1

    def _enable(self) -> None:
        chosen = self.current() >= 0
        self.reinsert_button.setEnabled(chosen)
        self.copy_button.setEnabled(chosen)
        self.clear_button.setEnabled(bool(self.controller.entries))

    def _reinsert(self) -> None:
        self.controller.reinsert(self.current())

    def open(self) -> None:
        self.show()
        self.raise_()
        self.entries.setFocus()
