"""Reading and writing the writer's files exactly as they were.

Pure Python, no Qt. A file is read into text plus the format it came in (encoding, BOM,
line endings), and written back in that same format, so saving an unchanged file gives
identical bytes. Writes are atomic: the bytes go to a temporary file in the same folder,
which is flushed and fsynced and then renamed over the target, so a crash or a full disk
during a save never leaves a truncated file.
"""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import os
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

from engine.documents import encodings

LF, CRLF, CR = "\n", "\r\n", "\r"
# Larger text files are refused before reading: 30 MB opens in about 1.4 s here, and a
# long novel is about 1 MB. Opening 100 MB would hold the window for many seconds.
MAX_DOCUMENT_BYTES = 50 * 2**20
_CONTROL_OK = {9, 10, 12, 13, 27}


class DocumentError(Exception):
    """A file could not be read or written; the message is for the writer."""


@dataclass(frozen=True)
class FileFormat:
    """How a file's text was stored on disk."""

    encoding: str = "utf-8"  # a Python codec name, without BOM handling
    bom: bool = False
    newline: str = LF
    fallback: bool = False  # True when no supported encoding fitted and Latin-1 was used
    guessed: bool = False  # True when the encoding was detected from the bytes, not known

    @property
    def label(self) -> str:
        name = encodings.label(self.encoding)
        return f"{name}{' with BOM' if self.bom else ''} · {'CRLF' if self.newline == CRLF else 'LF'}"


@dataclass(frozen=True)
class LoadedText:
    text: str  # with "\n" line endings
    format: FileFormat
    digest: str = ""  # sha256 of the bytes read, to tell later changes on disk from ours


_BOMS = (  # UTF-32 first: its little-endian mark starts with UTF-16's
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _looks_binary(text: str) -> bool:
    if "\x00" in text:
        return True
    sample = text[:65536]
    if not sample:
        return False
    controls = sum(1 for char in sample if ord(char) < 32 and ord(char) not in _CONTROL_OK)
    return controls / len(sample) > 0.1


def detect_newline(text: str) -> str:
    """The file's line ending: the most common of CRLF, LF and CR (LF when there is none)."""
    crlf = text.count(CRLF)
    lf = text.count(LF) - crlf
    cr = text.count(CR) - crlf
    if crlf == lf == cr == 0:
        return LF
    return max(((crlf, CRLF), (lf, LF), (cr, CR)), key=lambda pair: pair[0])[1]


def decode(data: bytes, name: str = "the file", preferred: str | None = None) -> LoadedText:
    """Bytes to text and format; refuses what is not text.

    The order: a byte order mark, then valid UTF-8, then detection (see `encodings`), and
    Latin-1 only when nothing else gives back the same bytes. `preferred` is the writer's
    legacy encoding, used when detection has nothing to go on.
    """
    return _decode(data, name, preferred, None)


def decode_as(data: bytes, encoding: str, name: str = "the file") -> LoadedText:
    """Bytes to text in the encoding the writer chose; refuses bytes it cannot read."""
    return _decode(data, name, None, encodings.canonical(encoding))


def _decode(data: bytes, name: str, preferred: str | None, forced: str | None) -> LoadedText:
    encoding, bom, fallback, guessed = forced, False, False, False
    text: str | None = None  # decoded once, by whichever step found the encoding
    for mark, codec in _BOMS:
        if data.startswith(mark) and forced in (None, codec):
            encoding, bom, data = codec, True, data[len(mark) :]
            break
    if encoding is None and b"\x00" not in data:  # NULs: UTF-16/32 without a mark, or binary
        with contextlib.suppress(UnicodeDecodeError):
            text, encoding = data.decode("utf-8"), "utf-8"
    if encoding is None:
        found = encodings.detect(data, preferred)
        if found.codec is None:
            raise DocumentError(
                f"{name} is not a text file (it looks like binary data), so it was not opened."
            )
        encoding, text, guessed, fallback = found.codec, found.text, True, found.codec == "latin-1"
    if text is None:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            what = f"starts with a {encoding} mark but" if bom else "is"
            raise DocumentError(
                f"{name} {what} not valid {encodings.label(encoding)} (byte {exc.start + 1} does not fit)."
            ) from exc
    if _looks_binary(text):
        raise DocumentError(f"{name} is not a text file (it looks like binary data), so it was not opened.")
    newline = detect_newline(text)
    if newline != LF:
        text = text.replace(CRLF, LF).replace(CR, LF)
    return LoadedText(text, FileFormat(encoding, bom, newline, fallback, guessed))


def encode(text: str, fmt: FileFormat) -> bytes:
    """Text to bytes in `fmt`; raises DocumentError if a character does not fit the encoding."""
    if fmt.newline != LF:
        text = text.replace(LF, fmt.newline)
    try:
        body = text.encode(fmt.encoding)
    except UnicodeEncodeError as exc:
        bad = text[exc.start]
        raise DocumentError(
            f"The text contains {bad!r} (line {text.count(fmt.newline, 0, exc.start) + 1}), which "
            f"{encodings.label(fmt.encoding)} cannot store. Save it as UTF-8 instead."
        ) from exc
    mark = {codec: bom for bom, codec in _BOMS}
    return (mark[fmt.encoding] if fmt.bom else b"") + body


def read_document(path: Path, preferred: str | None = None, encoding: str | None = None) -> LoadedText:
    """The file's text; `encoding` forces one (Reopen with encoding…), else it is found."""
    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES and path.is_file():
            raise DocumentError(
                f"{path.name} is {size / 2**20:,.0f} MB; Inkwell opens text files up to "
                f"{MAX_DOCUMENT_BYTES // 2**20} MB (a long novel is about 1 MB). Split it into "
                "parts, or use an editor made for huge files."
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise DocumentError(f"{path.name} does not exist.") from None
    except IsADirectoryError:
        raise DocumentError(f"{path.name} is a folder, not a file.") from None
    except OSError as exc:
        raise DocumentError(f"{path.name} could not be read: {exc.strerror or exc}.") from exc
    loaded = decode_as(data, encoding, path.name) if encoding else decode(data, path.name, preferred)
    return replace(loaded, digest=hashlib.sha256(data).hexdigest())


def atomic_write(path: Path, data: bytes) -> None:
    """Replace `path` with `data` all at once, or not at all."""
    folder = path.parent
    try:
        mode = path.stat().st_mode & 0o7777 if path.exists() else None
        if mode is not None and not mode & 0o222:  # marked read-only (a rename would ignore it)
            raise DocumentError(
                f"{path.name} is read-only, so it was not saved. Use Save As to keep your "
                "changes in another file."
            )
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".inkwell-tmp", dir=folder)
    except OSError as exc:
        raise DocumentError(f"{path.name} could not be saved: {exc.strerror or exc}.") from exc
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise DocumentError(f"{path.name} could not be saved: {exc.strerror or exc}.") from exc
    _sync_folder(folder)


def remove_stale_temporaries(path: Path, older_than: float = 60.0) -> int:
    """Delete what a save killed half-way left beside `path` (its temporary file); the
    file itself was never touched. Young ones may belong to a save still running."""
    removed = 0
    now = time.time()
    for temporary in path.parent.glob(f".{path.name}.*.inkwell-tmp"):
        with contextlib.suppress(OSError):
            if now - temporary.stat().st_mtime > older_than:
                temporary.unlink()
                removed += 1
    return removed


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); harmless where folders cannot be opened."""
    with contextlib.suppress(OSError, AttributeError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def write_document(path: Path, text: str, fmt: FileFormat) -> str:
    """Write `text` in `fmt`; return the sha256 of the bytes written."""
    data = encode(text, fmt)
    atomic_write(path, data)
    return hashlib.sha256(data).hexdigest()
