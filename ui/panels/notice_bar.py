"""A non-modal notice above the text: a message and a few answers, never a blocking dialog."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget


class NoticeBar(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("NoticeBar")
        self.setStyleSheet(
            "#NoticeBar { background: #fff6db; border-bottom: 1px solid #e6d38f; }QLabel { color: #5b4a12; }"
        )
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(12, 6, 12, 6)
        self._layout.addWidget(self.label, 1)
        self.buttons: dict[str, QPushButton] = {}
        self.hide()

    def show_notice(self, text: str, answers: list[tuple[str, Callable[[], object]]] | None = None) -> None:
        for button in self.buttons.values():
            self._layout.removeWidget(button)
            button.deleteLater()
        self.buttons = {}
        self.label.setText(text)
        for title, action in [*(answers or []), (self.tr("Dismiss"), lambda: None)]:
            button = QPushButton(title, self)
            button.clicked.connect(action)
            button.clicked.connect(self.hide)
            self._layout.addWidget(button)
            self.buttons[title] = button
        self.show()
