"""The cache of GGUF models converted to safetensors.

Reading a GGUF through `transformers` dequantizes every tensor and converts the
tokenizer, which takes about 15 s here. The converted model is saved once in the user
cache directory, keyed by the source file's size, mtime and hash, so later starts load
the safetensors folder in about 2 s. Every file in an entry is listed in a manifest with
its size and CRC-32, checked before the entry is used: a damaged entry is rebuilt, never
trusted.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import platformdirs

log = logging.getLogger(__name__)

MANIFEST = "inkwell-manifest.json"
FORMAT = 1
_CHUNK = 8 * 1024 * 1024


def default_cache_dir() -> Path:
    """The per-user cache folder; `INKWELL_CACHE_DIR` overrides it (tests, portable installs)."""
    override = os.environ.get("INKWELL_CACHE_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_cache_dir("inkwell", appauthor=False))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def crc32_of(path: Path) -> int:
    crc = 0
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            crc = zlib.crc32(chunk, crc)
    return crc


@dataclass(frozen=True)
class SourceKey:
    """What identifies a source GGUF: its size, mtime and content hash."""

    size: int
    mtime_ns: int
    sha256: str

    @classmethod
    def of(cls, path: Path) -> SourceKey:
        stat = path.stat()
        return cls(stat.st_size, stat.st_mtime_ns, _sha256(path))

    @property
    def entry_name(self) -> str:
        raw = f"{self.size}:{self.mtime_ns}:{self.sha256}".encode()
        return hashlib.sha256(raw).hexdigest()[:32]


class ConvertedModelCache:
    """Finds, checks and stores converted models under one root folder."""

    def __init__(self, root: Path) -> None:
        self.root = root / "converted"

    def entry(self, key: SourceKey) -> Path:
        return self.root / key.entry_name

    def lookup(self, key: SourceKey, skip: Callable[[str], bool] | None = None) -> tuple[Path | None, str]:
        """Return a verified entry, or None with why it was not usable ('missing' or a fault).

        Files for which `skip(name)` is true are not read (a caller that will not use the
        full-precision weights need not pay for checking them).
        """
        folder = self.entry(key)
        if not folder.exists():
            return None, "missing"
        fault = self._verify(folder, key, skip)
        if fault is None:
            return folder, "ok"
        log.warning("Converted-model cache entry is damaged (%s); it will be rebuilt.", fault)
        self.discard(folder)
        return None, fault

    def _verify(self, folder: Path, key: SourceKey, skip: Callable[[str], bool] | None = None) -> str | None:
        try:
            manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            return f"unreadable manifest ({type(exc).__name__})"
        if manifest.get("format") != FORMAT or manifest.get("source") != key.__dict__:
            return "manifest does not match the source file"
        files = manifest.get("files")
        if not isinstance(files, dict) or "config.json" not in files:
            return "manifest lists no model files"
        for name, expected in files.items():
            if skip is not None and skip(name):
                continue
            path = folder / name
            try:
                if path.stat().st_size != expected["size"]:
                    return f"{name} has the wrong size"
                if crc32_of(path) != expected["crc32"]:
                    return f"{name} fails its checksum"
            except OSError:
                return f"{name} is missing"
        return None

    def store(self, key: SourceKey, write: Callable[[Path], None]) -> Path:
        """Write an entry through `write(folder)` into a temporary folder, then publish it.

        The manifest is written last and the folder renamed into place, so an interrupted
        conversion never leaves an entry that looks complete.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        final = self.entry(key)
        # Unique per call: two conversions may run at once, in two processes or threads.
        staging = Path(tempfile.mkdtemp(prefix=f".{key.entry_name}.tmp-{os.getpid()}-", dir=self.root))
        try:
            write(staging)
            files = {
                path.name: {"size": path.stat().st_size, "crc32": crc32_of(path)}
                for path in sorted(staging.iterdir())
                if path.is_file()
            }
            manifest = {"format": FORMAT, "source": key.__dict__, "files": files}
            (staging / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
            if final.is_dir() and self._verify(final, key) is None:
                # Another process (a background `prepare` beside the window) published the
                # same entry meanwhile, and may be reading it: keep theirs.
                self.discard(staging)
                return final
            self.discard(final)
            os.replace(staging, final)
        except BaseException:
            self.discard(staging)
            raise
        return final

    def has_file(self, key: SourceKey, name: str) -> bool:
        """Whether the (verified) entry's manifest lists `name`."""
        try:
            manifest = json.loads((self.entry(key) / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        return name in manifest.get("files", {})

    def add_file(self, key: SourceKey, name: str, write: Callable[[Path], None]) -> None:
        """Add one file to an existing entry: written aside, renamed in, then listed."""
        folder = self.entry(key)
        manifest_path = folder / MANIFEST
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        staging = folder / f".{name}.tmp-{os.getpid()}"
        try:
            write(staging)
            os.replace(staging, folder / name)
        finally:
            if staging.exists():
                staging.unlink()
        path = folder / name
        manifest["files"][name] = {"size": path.stat().st_size, "crc32": crc32_of(path)}
        temporary = folder / f".{MANIFEST}.tmp-{os.getpid()}"
        temporary.write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        os.replace(temporary, manifest_path)

    @staticmethod
    def discard(folder: Path) -> None:
        shutil.rmtree(folder, ignore_errors=True)
