"""The open document's life on disk: open, save, autosave, outside changes, recovery.

The editor holds the text; this object knows which file it belongs to, the format to
write it back in, and what the file on disk looked like when it was last read or
written, so a change made by another program is noticed instead of overwritten.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QFileSystemWatcher, QObject, Signal

from engine.app_paths import AppPaths
from engine.documents import encodings
from engine.documents.files import (
    DocumentError,
    FileFormat,
    read_document,
    remove_stale_temporaries,
    write_document,
)
from engine.documents.recent_files import RecentFiles
from engine.documents.recovery import RecoveredDocument, RecoveryStore
from ui.controllers.autosave import Autosaver
from ui.editor.markdown_highlighter import MarkdownHighlighter
from ui.editor.text_editor import Editor

MARKDOWN_SUFFIXES = {".md", ".markdown", ".mdown"}
HIGHLIGHT_LIMIT = 2_000_000  # characters: beyond this, highlighting would slow typing


@dataclass(frozen=True)
class DiskState:
    """What the file looked like when we last read or wrote it."""

    size: int
    mtime_ns: int
    sha256: str

    @classmethod
    def of(cls, path: Path, digest: str | None = None) -> DiskState | None:
        """The file's state; pass the digest of bytes just read or written to skip a re-read."""
        try:
            stat = path.stat()
            if digest is None:
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            return None
        return cls(stat.st_size, stat.st_mtime_ns, digest)

    def same_stat(self, path: Path) -> bool:
        try:
            stat = path.stat()
        except OSError:
            return False
        return (stat.st_size, stat.st_mtime_ns) == (self.size, self.mtime_ns)


class DocumentController(QObject):
    sig_changed_on_disk = Signal(str)  # the file name
    sig_error = Signal(str)
    sig_notice = Signal(str)
    sig_path_changed = Signal()
    sig_autosaved = Signal(float)

    def __init__(
        self,
        editor: Editor,
        paths: AppPaths,
        parent: QObject | None = None,
        *,
        unsaved_history: Callable[[], list[dict[str, Any]]] | None = None,
    ) -> None:
        super().__init__(parent)
        self._editor = editor
        self.path: Path | None = None
        self.format = FileFormat()
        self.legacy_encoding = encodings.locale_default()  # what detection falls back on
        self._chosen_encoding: str | None = None  # Reopen with Encoding…'s choice, kept for Reload
        self._disk: DiskState | None = None
        self._highlighter: MarkdownHighlighter | None = None
        self.recent = RecentFiles(paths.recent_files)
        self.recovery = RecoveryStore(paths.recovery_dir)
        self.autosaver = Autosaver(
            editor.document(),
            editor.text,
            lambda: (self.path, self.name),
            self.recovery,
            self,
            history=unsaved_history,
        )
        self.autosaver.sig_error.connect(self.sig_error)
        self.autosaver.sig_saved.connect(self.sig_autosaved)
        self._watcher = QFileSystemWatcher(self)
        self._watcher.fileChanged.connect(lambda _path: self.check_disk())

    @property
    def name(self) -> str:
        return self.path.name if self.path else "Untitled"

    @property
    def modified(self) -> bool:
        return self._editor.document().isModified()

    # -- files -------------------------------------------------------------------

    def load(self, path: Path, encoding: str | None = None) -> bool:
        """Open `path`; `encoding` is the writer's choice (Reopen with Encoding…)."""
        encoding = encoding or None  # a button's `checked` argument is no encoding
        try:
            loaded = read_document(path, self.legacy_encoding, encoding)
        except DocumentError as exc:
            self.sig_error.emit(str(exc))
            return False
        remove_stale_temporaries(path)  # litter from a save that a crash cut short
        self._chosen_encoding = encoding
        self.autosaver.discard()
        self._editor.setPlainText(loaded.text)
        self._editor.document().setModified(False)
        self.format = loaded.format
        self._set_path(path.resolve(), loaded.digest)
        self._update_highlighting()
        self.recent.add(path.resolve())
        if loaded.format.fallback:
            self.sig_notice.emit(
                self.tr(
                    "{name} is in no encoding Inkwell could recognise, so it was opened as Latin-1. "
                    "If the text looks wrong, choose File → Reopen with Encoding…; it will be saved "
                    "back as it was read."
                ).format(name=path.name)
            )
        elif loaded.format.guessed and not loaded.format.encoding.startswith("utf"):
            self.sig_notice.emit(
                self.tr(
                    "{name} was opened as {encoding}, found from its bytes. If the text looks wrong, "
                    "choose File → Reopen with Encoding…"
                ).format(name=path.name, encoding=encodings.label(loaded.format.encoding))
            )
        return True

    def save_with_encoding(self, path: Path, encoding: str) -> bool:
        """Convert to `encoding` and save; the old format stays if a character does not fit."""
        before = self.format
        self.format = FileFormat(encodings.canonical(encoding), False, before.newline)
        if self.save_to(path):
            return True
        self.format = before
        return False

    def save_to(self, path: Path) -> bool:
        """Write the document (never a provisional suggestion, which is not in it)."""
        try:
            digest = write_document(path, self._editor.text(), self.format)
        except DocumentError as exc:
            self.sig_error.emit(self.tr("{0} The document is still open and unsaved.").format(exc))
            return False
        self._editor.document().setModified(False)
        self.autosaver.discard()
        if path.resolve() != self.path:
            self._set_path(path.resolve(), digest)
            self._update_highlighting()
        else:
            self._remember_disk(digest)
        self.recent.add(path.resolve())
        return True

    def new(self) -> None:
        self.autosaver.discard()
        self._editor.clear()
        self._editor.document().setModified(False)
        self.format = FileFormat()
        self._set_path(None)
        self._update_highlighting()

    def discard_changes(self) -> None:
        """The writer chose to throw the changes away: the recovery copy goes too."""
        self.autosaver.discard()

    def close(self) -> None:
        self.autosaver.close()

    def _set_path(self, path: Path | None, digest: str | None = None) -> None:
        if self._watcher.files():
            self._watcher.removePaths(self._watcher.files())
        self.path = path
        self._remember_disk(digest)
        self.sig_path_changed.emit()

    def _remember_disk(self, digest: str | None = None) -> None:
        self._disk = DiskState.of(self.path, digest) if self.path else None
        if self.path is not None and str(self.path) not in self._watcher.files() and self.path.exists():
            self._watcher.addPath(str(self.path))  # a rename-over drops the old watch

    def _update_highlighting(self) -> None:
        wanted = (
            self.path is not None
            and self.path.suffix.lower() in MARKDOWN_SUFFIXES
            and self._editor.document().characterCount() < HIGHLIGHT_LIMIT
        )
        if wanted and self._highlighter is None:
            self._highlighter = MarkdownHighlighter(self._editor.document())
            self._highlighter.rehighlight()  # now, not on a later tick: the text shows styled
        elif not wanted and self._highlighter is not None:
            self._highlighter.setDocument(None)
            self._highlighter = None
        self._editor.highlighter_changed(self._highlighter)

    # -- changes made by other programs -------------------------------------------

    def check_disk(self) -> bool:
        """True (and a signal) if the file changed since we last read or wrote it."""
        if self.path is None or self._disk is None:
            return False
        if self.path.exists() and str(self.path) not in self._watcher.files():
            self._watcher.addPath(str(self.path))
        if self._disk.same_stat(self.path):
            return False  # the common case (every focus change) reads nothing
        current = DiskState.of(self.path)
        if current is not None and current.sha256 == self._disk.sha256:
            self._disk = current  # touched, not changed
            return False
        self._disk = current  # ask once per change
        self.sig_changed_on_disk.emit(self.path.name)
        return True

    def reload(self, encoding: str | None = None) -> bool:
        """Read the file again: in `encoding`, or in the one the writer chose before."""
        if self.path is None:
            return False
        return self.load(self.path, encoding or self._chosen_encoding)

    def keep_mine(self) -> None:
        """Keep the text in the window; the next save overwrites the changed file."""
        self._editor.document().setModified(True)

    # -- recovery ----------------------------------------------------------------

    def orphans(self) -> list[RecoveredDocument]:
        return self.recovery.orphans()

    def restore(self, document: RecoveredDocument) -> None:
        """Bring back an autosaved text; it stays unsaved until the writer saves it."""
        self.autosaver.discard()
        fmt = FileFormat()
        if document.source is not None and document.source.exists():
            with contextlib.suppress(DocumentError):
                fmt = read_document(document.source).format
        self._editor.setPlainText(document.text)
        self.format = fmt
        self._set_path(document.source)
        self._update_highlighting()
        self._editor.document().setModified(True)
        self.autosaver.save_now()  # our own copy first, then the orphan may go
        self.recovery.remove(document.entry_id)

    def discard_orphan(self, document: RecoveredDocument) -> None:
        self.recovery.remove(document.entry_id)
