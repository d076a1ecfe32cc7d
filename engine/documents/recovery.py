"""Recovery copies of open documents, so a crash or a kill never loses more than seconds.

Pure Python, no Qt. Each open document has an entry in the recovery folder: its text,
a small JSON file saying which file it belongs to, when it was saved and (for a document
never saved) the suggestion history that has no other home yet, and a lock file
that the running app holds for as long as the document is open. On the next start, an
entry whose lock can be taken belongs to no running Inkwell: its app crashed or was
killed, and the writer is offered the text back. Entries are written atomically and
never over the writer's own file.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.documents.files import atomic_write

try:  # POSIX; elsewhere the owner's process id is checked instead
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


@dataclass(frozen=True)
class RecoveredDocument:
    entry_id: str
    text: str
    source: Path | None  # the writer's file, or None for an untitled document
    saved_at: float
    name: str
    history: tuple[dict[str, Any], ...] = ()  # records of an untitled document's suggestions


def _lock(path: Path, *, blocking: bool) -> int | None:
    """Open and lock `path`; the descriptor holds the lock until closed, or None if held."""
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    if fcntl is None:
        return descriptor
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
    except OSError:
        os.close(descriptor)
        return None
    return descriptor


class RecoveryEntry:
    """The recovery copy of one open document, owned by this process."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.entry_id = uuid.uuid4().hex
        self._folder = folder
        self._lock_fd = _lock(self._path(".lock"), blocking=True)
        self.saved_at: float | None = None

    def _path(self, suffix: str) -> Path:
        return self._folder / f"{self.entry_id}{suffix}"

    def save(
        self, text: str, source: Path | None, name: str, history: list[dict[str, Any]] | None = None
    ) -> None:
        atomic_write(self._path(".txt"), text.encode("utf-8"))
        self.saved_at = time.time()
        meta: dict[str, Any] = {
            "source": str(source) if source else None,
            "name": name,
            "saved_at": self.saved_at,
            "pid": os.getpid(),
        }
        if history:
            meta["history"] = history
        atomic_write(self._path(".json"), json.dumps(meta).encode("utf-8"))

    def discard(self) -> None:
        """Remove the copy (the document was saved or deliberately discarded)."""
        for suffix in (".txt", ".json"):
            with contextlib.suppress(FileNotFoundError):
                self._path(suffix).unlink()
        self.saved_at = None

    def close(self) -> None:
        self.discard()
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None
        with contextlib.suppress(FileNotFoundError):
            self._path(".lock").unlink()


class RecoveryStore:
    """The recovery folder: finds what crashed apps left behind."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def new_entry(self) -> RecoveryEntry:
        return RecoveryEntry(self.folder)

    def orphans(self) -> list[RecoveredDocument]:
        """Documents whose app is gone, newest first."""
        found: list[RecoveredDocument] = []
        if not self.folder.is_dir():
            return found
        for meta_path in self.folder.glob("*.json"):
            entry_id = meta_path.stem
            lock = _lock(self.folder / f"{entry_id}.lock", blocking=False)
            if lock is None:
                continue  # a running Inkwell owns it
            try:
                meta = json.loads(meta_path.read_text(encoding="utf-8"))
                if fcntl is None and _alive(int(meta.get("pid", 0))):
                    continue
                text = (self.folder / f"{entry_id}.txt").read_text(encoding="utf-8")
            except (OSError, ValueError):
                continue
            finally:
                os.close(lock)
            source = Path(meta["source"]) if meta.get("source") else None
            history = meta.get("history")
            records = tuple(r for r in history if isinstance(r, dict)) if isinstance(history, list) else ()
            found.append(
                RecoveredDocument(entry_id, text, source, float(meta["saved_at"]), meta["name"], records)
            )
        return sorted(found, key=lambda doc: doc.saved_at, reverse=True)

    def remove(self, entry_id: str) -> None:
        for suffix in (".txt", ".json", ".lock"):
            with contextlib.suppress(FileNotFoundError):
                (self.folder / f"{entry_id}{suffix}").unlink()


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True
