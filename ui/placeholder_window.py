"""A minimal main window until the editor lands: a text area and the model's state.

It already follows the house pattern: the engine is passed in, loading runs on the
engine thread, and the status bar changes only in response to the load finishing.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMainWindow, QPlainTextEdit


class PlaceholderWindow(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("Inkwell")
        self.resize(900, 640)
        self.editor = QPlainTextEdit(self)
        self.editor.setPlaceholderText("Write here. The assistant arrives with the editor.")
        self.setCentralWidget(self.editor)
        self.model_label = QLabel("Loading model…", self)
        self.statusBar().addPermanentWidget(self.model_label)

    def show_model_ready(self, name: str, device: str) -> None:
        self.model_label.setText(f"{name} · {device} · ready")

    def show_model_error(self, message: str) -> None:
        self.model_label.setText(f"Model unavailable: {message}")
