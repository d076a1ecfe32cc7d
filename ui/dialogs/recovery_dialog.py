"""Offering recovered documents after a crash: which, when they were last autosaved."""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from engine.documents.cjk import count_words
from engine.documents.recovery import RecoveredDocument


def describe(document: RecoveredDocument, now: float | None = None) -> str:
    age = max(0, int((now or time.time()) - document.saved_at))
    when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(document.saved_at))

    if age < 120:
        ago = QCoreApplication.translate("RecoveryDialog", "{0} s ago").format(age)
    elif age < 7200:
        ago = QCoreApplication.translate("RecoveryDialog", "{0} min ago").format(age // 60)
    else:
        ago = QCoreApplication.translate("RecoveryDialog", "{0} h ago").format(age // 3600)
    words = count_words(document.text)
    return QCoreApplication.translate("RecoveryDialog", "{0} — last autosaved {1} ({2}), {3:,} words").format(
        document.name, when, ago, words
    )


class RecoveryDialog(QDialog):
    sig_restore = Signal(object)  # RecoveredDocument
    sig_discard = Signal(object)

    def __init__(self, documents: list[RecoveredDocument], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Recover documents"))
        self.resize(560, 280)
        intro = QLabel(
            self.tr(
                "Inkwell did not close properly last time. These documents had changes that were "
                "not saved; restore one to keep working on it."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.list = QListWidget(self)
        for document in documents:
            item = QListWidgetItem(describe(document))
            item.setData(Qt.ItemDataRole.UserRole, document)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        buttons = QDialogButtonBox(self)
        self.restore_button = QPushButton(self.tr("Restore"), self)
        self.restore_button.setDefault(True)
        self.discard_button = QPushButton(self.tr("Discard"), self)
        self.later_button = QPushButton(self.tr("Decide later"), self)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.discard_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton(self.later_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.restore_button.clicked.connect(self._restore)
        self.discard_button.clicked.connect(self._discard)
        self.later_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list)
        layout.addWidget(buttons)

    def _current(self) -> RecoveredDocument | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def _restore(self) -> None:
        document = self._current()
        if document is not None:
            self.sig_restore.emit(document)
            self.accept()  # one document per window; the rest are offered again next start

    def _discard(self) -> None:
        document = self._current()
        if document is None:
            return
        self.sig_discard.emit(document)
        self.list.takeItem(self.list.currentRow())
        if self.list.count() == 0:
            self.accept()
