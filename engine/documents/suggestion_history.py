"""The suggestions a writer accepted or rejected in a document, kept with its data.

A writer who rejected a rewrite yesterday and wants it back today, or who wonders what
an accepted paragraph said before, finds each suggestion here: the operation, the text
it worked on, what the model suggested, what became of it and when. A saved file's
history is kept in the data folder (engine/documents/document_records.py), capped at the
newest KEEP entries and pruned with the file. An untitled document's history goes into
its recovery copy (engine/documents/recovery.py): it survives a crash with the text, and
is cleared with it.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from engine.documents.document_records import DocumentRecords
from engine.prompting.templates import OperationTemplate

KEEP = 200
OUTCOMES = ("accepted", "rejected")


@dataclass(frozen=True)
class HistoryEntry:
    operation: str  # the catalog's name: "rewrite", "summarize", a writer's own
    original: str  # the text it worked on ("" for Continue and Draft)
    suggestion: str
    outcome: str  # "accepted" or "rejected"
    style: str = ""  # a rewrite's style
    language: str = ""  # a translation's language
    at: float = field(default_factory=time.time)


def settled(
    operation: OperationTemplate | None,
    name: str,
    original: str,
    suggestion: str,
    outcome: str,
    style: str | None,
    language: str | None,
) -> HistoryEntry:
    """The entry for one settled suggestion: a translation keeps its language, never the
    dictionary Proofread was sent."""
    translates = operation is not None and "language" in operation.placeholders
    return HistoryEntry(
        name, original, suggestion, outcome, style or "", language or "" if translates else ""
    )


def entries_from(records: Iterable[Mapping[str, Any]]) -> list[HistoryEntry]:
    """Entries from stored records, oldest first; those this version cannot read are skipped."""
    entries = []
    for record in records:
        try:
            entry = HistoryEntry(
                str(record["operation"]),
                str(record["original"]),
                str(record["suggestion"]),
                str(record["outcome"]),
                str(record.get("style", "")),
                str(record.get("language", "")),
                float(record["at"]),
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            continue
        if entry.outcome in OUTCOMES:
            entries.append(entry)
    return entries


def records_of(entries: Iterable[HistoryEntry]) -> list[dict[str, Any]]:
    return [asdict(entry) for entry in entries]


class SuggestionHistory:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._records = DocumentRecords(folder, KEEP, field="entries")

    def load(self, document: Path) -> list[HistoryEntry]:
        """Oldest first; entries this version cannot read are skipped, not fatal."""
        return entries_from(self._records.load(document))

    def save(self, document: Path, entries: list[HistoryEntry]) -> None:
        self._records.save(document, records_of(entries))

    def prune(self) -> int:
        return self._records.prune()
