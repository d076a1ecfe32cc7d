"""Autosaving the open document to its recovery copy.

A few seconds after the writer stops typing, and at least every 30 s while they keep
typing, the document's text goes to the recovery folder (never over the writer's file).
Only the document is saved, so a provisional suggestion never reaches the copy. An
untitled document's suggestion history goes with its text (it has nowhere else to be).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QTextDocument

from engine.documents.files import DocumentError
from engine.documents.recovery import RecoveryEntry, RecoveryStore

log = logging.getLogger(__name__)
IDLE_MS = 2000
MAX_MS = 30000


class Autosaver(QObject):
    sig_saved = Signal(float)  # the time of the autosave
    sig_error = Signal(str)

    def __init__(
        self,
        document: QTextDocument,
        text: Callable[[], str],
        describe: Callable[[], tuple[Path | None, str]],
        store: RecoveryStore,
        parent: QObject | None = None,
        *,
        idle_ms: int = IDLE_MS,
        max_ms: int = MAX_MS,
        history: Callable[[], list[dict[str, Any]]] | None = None,
    ) -> None:
        super().__init__(parent)
        self._history = history
        self._document = document
        self._text = text
        self._describe = describe
        self._store = store
        self._entry: RecoveryEntry | None = None
        self._saved_revision = -1
        self._failed = False
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(idle_ms)
        self._idle.timeout.connect(self.save_now)
        self._longest = QTimer(self)
        self._longest.setSingleShot(True)
        self._longest.setInterval(max_ms)
        self._longest.timeout.connect(self.save_now)
        document.contentsChanged.connect(self._edited)

    def _edited(self) -> None:
        self._idle.start()  # restart: waits for a pause in typing
        if not self._longest.isActive():
            self._longest.start()

    def history_changed(self) -> None:
        """A suggestion was settled: the copy is written again soon, even if the text is not new."""
        self._saved_revision = -1
        if self._document.isModified():
            self._edited()

    def set_longest_wait(self, milliseconds: int) -> None:
        """The writer's setting: how long typing may go on without an autosave."""
        self._longest.setInterval(milliseconds)

    @property
    def longest_wait(self) -> int:
        return self._longest.interval()

    def save_now(self) -> None:
        self._idle.stop()
        self._longest.stop()
        if not self._document.isModified():
            self.discard()  # back at the saved state: nothing to recover
            return
        if self._document.revision() == self._saved_revision:
            return
        source, name = self._describe()
        try:
            if self._entry is None:
                self._entry = self._store.new_entry()
            history = self._history() if self._history is not None else None
            self._entry.save(self._text(), source, name, history)
        except (OSError, DocumentError) as exc:
            if not self._failed:  # say it once, not every few seconds
                self.sig_error.emit(
                    self.tr("Autosave failed, so recovery after a crash is not possible: {0}").format(exc)
                )
            self._failed = True
            return
        self._failed = False
        self._saved_revision = self._document.revision()
        assert self._entry.saved_at is not None
        self.sig_saved.emit(self._entry.saved_at)

    def discard(self) -> None:
        """The document was saved or deliberately thrown away: drop its recovery copy."""
        self._idle.stop()
        self._longest.stop()
        self._saved_revision = -1
        if self._entry is not None:
            self._entry.discard()

    def close(self) -> None:
        self.discard()
        if self._entry is not None:
            self._entry.close()
            self._entry = None
