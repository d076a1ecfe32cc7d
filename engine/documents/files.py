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
from dataclasses import dataclass, replace
from pathlib import Path

LF, CRLF, CR = "\n", "\r\n", "\r"
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

    @property
    def label(self) -> str:
        names = {"utf-8": "UTF-8", "utf-16-le": "UTF-16 LE", "utf-16-be": "UTF-16 BE", "latin-1": "Latin-1"}
        name = names.get(self.encoding, self.encoding)
        return f"{name}{' with BOM' if self.bom else ''} · {'CRLF' if self.newline == CRLF else 'LF'}"


@dataclass(frozen=True)
class LoadedText:
    text: str  # with "\n" line endings
    format: FileFormat
    digest: str = ""  # sha256 of the bytes read, to tell later changes on disk from ours


_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _looks_binary(data: bytes) -> bool:
    if b"\x00" in data:
        return True
    sample = data[:65536]
    if not sample:
        return False
    controls = sum(1 for byte in sample if byte < 32 and byte not in _CONTROL_OK)
    return controls / len(sample) > 0.1


def detect_newline(text: str) -> str:
    """The file's line ending: the most common of CRLF, LF and CR (LF when there is none)."""
    crlf = text.count(CRLF)
    lf = text.count(LF) - crlf
    cr = text.count(CR) - crlf
    if crlf == lf == cr == 0:
        return LF
    return max(((crlf, CRLF), (lf, LF), (cr, CR)), key=lambda pair: pair[0])[1]


def decode(data: bytes, name: str = "the file") -> LoadedText:
    """Bytes to text and format; refuses what is not text."""
    encoding, bom = None, False
    for mark, codec in _BOMS:
        if data.startswith(mark):
            encoding, bom, data = codec, True, data[len(mark) :]
            break
    fallback = False
    if encoding is None:
        if _looks_binary(data):
            raise DocumentError(
                f"{name} is not a text file (it looks like binary data), so it was not opened."
            )
        try:
            text = data.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError:
            text = data.decode("latin-1")
            encoding, fallback = "latin-1", True
    else:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise DocumentError(f"{name} starts with a {encoding} mark but is not valid {encoding}.") from exc
        if "\x00" in text:
            raise DocumentError(f"{name} is not a text file (it contains NUL characters).")
    newline = detect_newline(text)
    if newline != LF:
        text = text.replace(CRLF, LF).replace(CR, LF)
    return LoadedText(text, FileFormat(encoding, bom, newline, fallback))


def encode(text: str, fmt: FileFormat) -> bytes:
    """Text to bytes in `fmt`; raises DocumentError if a character does not fit the encoding."""
    if fmt.newline != LF:
        text = text.replace(LF, fmt.newline)
    try:
        body = text.encode(fmt.encoding)
    except UnicodeEncodeError as exc:
        bad = text[exc.start : exc.end]
        raise DocumentError(
            f"The text contains {bad!r}, which {fmt.encoding} cannot store. Save it as UTF-8 instead."
        ) from exc
    mark = {"utf-8": codecs.BOM_UTF8, "utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}
    return (mark[fmt.encoding] if fmt.bom else b"") + body


def read_document(path: Path) -> LoadedText:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DocumentError(f"{path.name} does not exist.") from None
    except IsADirectoryError:
        raise DocumentError(f"{path.name} is a folder, not a file.") from None
    except OSError as exc:
        raise DocumentError(f"{path.name} could not be read: {exc.strerror or exc}.") from exc
    return replace(decode(data, path.name), digest=hashlib.sha256(data).hexdigest())


def atomic_write(path: Path, data: bytes) -> None:
    """Replace `path` with `data` all at once, or not at all."""
    folder = path.parent
    try:
        mode = path.stat().st_mode & 0o7777 if path.exists() else None
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
