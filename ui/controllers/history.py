"""The suggestion history of the open document: every suggestion the writer accepted or
rejected, to look back on, copy, or put in again.

Entries arrive from the suggestion and review controllers' `sig_settled` as plain data and are kept
per saved file (engine/documents/suggestion_history.py). An untitled document's history
goes into its recovery copy with the text (`unsaved_records`), so a crash loses neither,
discarding the copy clears both, and the first Save As carries it to the file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QGuiApplication

from engine.documents.suggestion_history import (
    KEEP,
    HistoryEntry,
    SuggestionHistory,
    entries_from,
    records_of,
)
from engine.errors import InkwellError
from engine.jobs import Request


class HistoryController(QObject):
    sig_changed = Signal()  # an entry came, or the history was loaded or cleared
    sig_error = Signal(str)

    def __init__(
        self,
        store: SuggestionHistory,
        offer: Callable[[str, Request], bool],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._offer = offer  # puts text at the cursor as a provisional suggestion
        self.entries: list[HistoryEntry] = []
        self.document: Path | None = None

    def set_document(self, path: Path | None, *, carry: bool = False) -> None:
        """The history of the file now open; with `carry` (saved as `path`) this one goes along."""
        if path == self.document and not carry:
            return
        self.document = path
        if carry:
            self._save()
        else:
            self.entries = self._store.load(path) if path is not None else []
        self.sig_changed.emit()

    def start_untitled(self, records: Iterable[Mapping[str, Any]] = ()) -> None:
        """A new untitled document: an empty history, or the one its recovery copy kept."""
        self.document = None
        self.entries = entries_from(records)[-KEEP:]
        self.sig_changed.emit()

    def unsaved_records(self) -> list[dict[str, Any]]:
        """What the recovery copy keeps: an untitled document's history (a file's has its own)."""
        return records_of(self.entries) if self.document is None else []

    def record(self, entry: HistoryEntry) -> None:
        self.record_all([entry])

    def record_all(self, entries: list[HistoryEntry]) -> None:
        """Several at once (a review's Accept all): one write, one update of the panel."""
        self.entries = [*self.entries, *entries][-KEEP:]
        self._save()
        self.sig_changed.emit()

    def clear(self) -> None:
        self.entries = []
        self._save()
        self.sig_changed.emit()

    def _save(self) -> None:
        if self.document is None:
            return
        try:
            self._store.save(self.document, self.entries)
        except (OSError, InkwellError) as exc:  # a full disk loses the history, never the document
            self.sig_error.emit(self.tr("The suggestion history could not be kept: {0}").format(exc))

    def reinsert(self, index: int) -> bool:
        """Entry `index`'s suggestion at the cursor, provisional: accept or reject it as any other."""
        if not 0 <= index < len(self.entries):
            return False
        entry = self.entries[index]
        request = Request(
            entry.operation,
            entry.original or entry.suggestion,
            style=entry.style or None,
            language=entry.language or None,
        )
        return self._offer(entry.suggestion, request)

    def copy(self, index: int) -> bool:
        if not 0 <= index < len(self.entries):
            return False
        QGuiApplication.clipboard().setText(self.entries[index].suggestion)
        return True
