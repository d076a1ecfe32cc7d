"""The command palette (Ctrl+K): type to find an action, or type an instruction.

Whatever is typed that is not one of the listed actions runs as a custom instruction on
the selection.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget


@dataclass(frozen=True)
class Command:
    title: str
    operation: str
    options: dict[str, str] = field(default_factory=dict)


class CommandPalette(QDialog):
    sig_command = Signal(object)  # a Command

    def __init__(self, commands: list[Command], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Ask the assistant"))
        self.setModal(True)
        self.resize(520, 340)
        self._commands = commands
        self.input = QLineEdit(self)
        self.input.setPlaceholderText(self.tr("Type an instruction for the selection, or an action…"))
        self.list = QListWidget(self)
        hint = QLabel(self.tr("Enter runs the highlighted action, or your text as an instruction."), self)
        hint.setStyleSheet("color: #6b7385;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.input)
        layout.addWidget(self.list)
        layout.addWidget(hint)
        self.input.textChanged.connect(self._filter)
        self.input.returnPressed.connect(self._run)
        self.list.itemActivated.connect(lambda _item: self._run())
        self.input.installEventFilter(self)
        self._filter("")

    def _filter(self, text: str) -> None:
        self.list.clear()
        needle = text.strip().lower()
        for command in self._commands:
            if not needle or needle in command.title.lower():
                item = QListWidgetItem(command.title)
                item.setData(Qt.ItemDataRole.UserRole, command)
                self.list.addItem(item)
        if needle:
            item = QListWidgetItem(f"Instruction: {text.strip()}")
            item.setData(
                Qt.ItemDataRole.UserRole,
                Command(self.tr("Custom"), "custom", {"instruction": text.strip()}),
            )
            self.list.addItem(item)
        self.list.setCurrentRow(0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.input
            and isinstance(event, QKeyEvent)
            and event.type() == QKeyEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up)
        ):
            step = 1 if event.key() == Qt.Key.Key_Down else -1
            row = max(0, min(self.list.count() - 1, self.list.currentRow() + step))
            self.list.setCurrentRow(row)
            return True
        return super().eventFilter(watched, event)

    def _run(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        self.sig_command.emit(item.data(Qt.ItemDataRole.UserRole))
        self.accept()
