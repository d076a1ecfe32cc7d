"""The list of recently opened files, newest first, kept in the config folder."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from engine.documents.files import DocumentError, atomic_write

log = logging.getLogger(__name__)
LIMIT = 10


class RecentFiles:
    def __init__(self, store: Path) -> None:
        self._store = store
        self._paths = self._read()

    def _read(self) -> list[Path]:
        try:
            data = json.loads(self._store.read_text(encoding="utf-8"))
            return [Path(item) for item in data if isinstance(item, str)][:LIMIT]
        except (OSError, ValueError):
            return []

    @property
    def paths(self) -> list[Path]:
        return [path for path in self._paths if path.exists()]

    def add(self, path: Path) -> None:
        path = path.resolve()
        self._paths = [path, *(p for p in self._paths if p != path)][:LIMIT]
        try:
            self._store.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(self._store, json.dumps([str(p) for p in self._paths]).encode("utf-8"))
        except (OSError, DocumentError):
            log.warning("Could not remember the recent files list.")
