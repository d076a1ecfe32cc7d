"""Records kept per saved document in the data folder: the Ask panel's conversation and
the suggestion history.

What a writer did with a file should come back when the file is opened again, but never
be written next to it (a shared folder, a repository), so it is kept in Inkwell's data
folder, one JSON file per document, named by a hash of the document's path. A file that
has since been deleted loses its records when Inkwell next tidies up (`prune`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from pathlib import Path
from typing import Any

from engine.documents.files import atomic_write

FORMAT = 1


class DocumentRecords:
    """One JSON file per document in `folder`, holding its newest `keep` records."""

    def __init__(self, folder: Path, keep: int, field: str = "records") -> None:
        self.folder = folder
        self.keep = keep
        self.field = field  # the list's name in the file ("turns" for conversations)

    def _file(self, document: Path) -> Path:
        key = hashlib.sha256(str(document.resolve()).encode("utf-8")).hexdigest()[:24]
        return self.folder / f"{key}.json"

    def load(self, document: Path) -> list[dict[str, Any]]:
        """The document's records, oldest first; [] when there are none or they are unreadable."""
        try:
            data = json.loads(self._file(document).read_text(encoding="utf-8"))
            records = data[self.field]
        except (OSError, ValueError, KeyError, TypeError):
            return []
        return [r for r in records if isinstance(r, dict)] if isinstance(records, list) else []

    def save(self, document: Path, records: list[dict[str, Any]]) -> None:
        """Keep `records` for `document` (the newest `keep`); an empty list removes the file."""
        path = self._file(document)
        if not records:
            with contextlib.suppress(OSError):
                path.unlink()
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        record = {"format": FORMAT, "document": str(document.resolve()), self.field: records[-self.keep :]}
        atomic_write(path, json.dumps(record, ensure_ascii=False, indent=1).encode("utf-8"))

    def prune(self) -> int:
        """Remove the records of documents that no longer exist; how many went."""
        removed = 0
        for path in self.folder.glob("*.json") if self.folder.is_dir() else ():
            try:
                document = Path(json.loads(path.read_text(encoding="utf-8"))["document"])
            except (OSError, ValueError, KeyError, TypeError):
                continue
            if not document.exists():
                with contextlib.suppress(OSError):
                    path.unlink()
                    removed += 1
        return removed
