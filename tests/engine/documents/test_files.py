"""Byte-exact round trips, refusals, and atomic saves under failure."""

from __future__ import annotations

import codecs
import errno
import os
from pathlib import Path

import pytest

from engine.documents import files
from engine.documents.files import CRLF, LF, DocumentError, FileFormat, read_document, write_document

TEXT = "Café naïve — “quotes”\nSecond line 我们 🌞\n\nLast line\n"


@pytest.mark.parametrize(
    ("encoded", "expected"),
    [
        (TEXT.encode("utf-8"), FileFormat("utf-8", False, LF)),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), FileFormat("utf-8", True, LF)),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), FileFormat("utf-16-le", True, LF)),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), FileFormat("utf-16-be", True, LF)),
        (TEXT.replace(LF, CRLF).encode("utf-8"), FileFormat("utf-8", False, CRLF)),
        (codecs.BOM_UTF8 + TEXT.replace(LF, CRLF).encode("utf-8"), FileFormat("utf-8", True, CRLF)),
        (
            codecs.BOM_UTF16_LE + TEXT.replace(LF, CRLF).encode("utf-16-le"),
            FileFormat("utf-16-le", True, CRLF),
        ),
        (b"no newline at the end", FileFormat("utf-8", False, LF)),
        (b"", FileFormat("utf-8", False, LF)),
    ],
)
def test_unchanged_files_round_trip_byte_for_byte(
    tmp_path: Path, encoded: bytes, expected: FileFormat
) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes(encoded)
    loaded = read_document(path)
    assert loaded.format == expected
    assert "\r" not in loaded.text
    write_document(path, loaded.text, loaded.format)
    assert path.read_bytes() == encoded


def test_an_edit_is_saved_in_the_files_own_format(tmp_path: Path) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + "one\r\ntwo\r\n".encode("utf-16-le"))
    loaded = read_document(path)
    write_document(path, loaded.text + "three\n", loaded.format)
    assert path.read_bytes() == codecs.BOM_UTF16_LE + "one\r\ntwo\r\nthree\r\n".encode("utf-16-le")


def test_a_legacy_file_is_detected_and_an_unfitting_character_is_refused_on_save(tmp_path: Path) -> None:
    path = tmp_path / "old.txt"
    text = "Déjà vu, dear garçon: the “quoted” price was 5 € — or 4 £ — for the café’s crème brûlée.\n"
    original = text.encode("cp1252")
    path.write_bytes(original)
    loaded = read_document(path)
    assert loaded.format.guessed and not loaded.format.fallback
    assert loaded.text == text
    write_document(path, loaded.text, loaded.format)
    assert path.read_bytes() == original
    with pytest.raises(DocumentError, match=r"'🌞' \(line 2\).*cannot store"):
        write_document(path, loaded.text + "🌞", loaded.format)
    assert path.read_bytes() == original


def test_latin1_is_the_last_resort_when_no_detected_encoding_gives_the_bytes_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import chardet

    # cp1252 has no character for 0x81, so this answer cannot round-trip, nor can the next.
    monkeypatch.setattr(chardet, "detect", lambda data: {"encoding": "Windows-1252", "confidence": 0.9})
    monkeypatch.setattr(chardet, "detect_all", lambda data: [{"encoding": "ascii", "confidence": 0.1}])
    path = tmp_path / "odd.txt"
    path.write_bytes(b"abc \x81\xe9 def\n")
    loaded = read_document(path)
    assert loaded.format.fallback and loaded.format.encoding == "latin-1"
    assert loaded.text == "abc \x81é def\n"
    write_document(path, loaded.text, loaded.format)
    assert path.read_bytes() == b"abc \x81\xe9 def\n"


@pytest.mark.parametrize(
    "data",
    [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", bytes(range(256)) * 4, b"\x01\x02\x03\x04\x05\x06" * 100],
)
def test_binary_files_are_refused(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "picture.png"
    path.write_bytes(data)
    with pytest.raises(DocumentError, match="not a text file"):
        read_document(path)


def test_missing_files_and_folders_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="does not exist"):
        read_document(tmp_path / "nope.txt")
    with pytest.raises(DocumentError, match="is a folder"):
        read_document(tmp_path)


def original_file(tmp_path: Path) -> Path:
    path = tmp_path / "novel.txt"
    path.write_bytes(b"Chapter one.\nThe original text.\n")
    return path


def test_a_failing_rename_leaves_the_original_intact(tmp_path: Path, monkeypatch) -> None:
    path = original_file(tmp_path)

    def broken_replace(src, dst):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(files.os, "replace", broken_replace)
    with pytest.raises(DocumentError, match="could not be saved: Input/output error"):
        write_document(path, "New text that must not half-land.\n", FileFormat())
    assert path.read_bytes() == b"Chapter one.\nThe original text.\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["novel.txt"]  # no temporary left


def test_a_full_disk_during_the_write_leaves_the_original_intact(tmp_path: Path, monkeypatch) -> None:
    path = original_file(tmp_path)
    real_fdopen = os.fdopen

    class FullDisk:
        def __init__(self, stream):
            self._stream = stream

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self._stream.close()

        def write(self, data):
            self._stream.write(data[: len(data) // 2])
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "fdopen", lambda fd, mode: FullDisk(real_fdopen(fd, mode)))
    with pytest.raises(DocumentError, match="No space left on device"):
        write_document(path, "x" * 10_000, FileFormat())
    assert path.read_bytes() == b"Chapter one.\nThe original text.\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["novel.txt"]


def test_a_read_only_folder_is_a_clear_error(tmp_path: Path, monkeypatch) -> None:
    path = original_file(tmp_path)
    if os.geteuid() == 0:  # root ignores folder permissions, so refuse the way the OS would

        def refuse(*args, **kwargs):
            raise PermissionError(errno.EACCES, "Permission denied")

        monkeypatch.setattr(files.tempfile, "mkstemp", refuse)
    else:
        tmp_path.chmod(0o555)
    try:
        with pytest.raises(DocumentError, match="Permission denied"):
            write_document(path, "new\n", FileFormat())
    finally:
        tmp_path.chmod(0o755)
    assert path.read_bytes() == b"Chapter one.\nThe original text.\n"


def test_saving_keeps_the_files_permissions(tmp_path: Path) -> None:
    path = original_file(tmp_path)
    path.chmod(0o640)
    write_document(path, "new\n", FileFormat())
    assert path.stat().st_mode & 0o777 == 0o640


def test_a_save_cut_short_leaves_a_temporary_file_that_is_cleaned_up_later(tmp_path: Path) -> None:
    import os
    import time

    path = tmp_path / "story.txt"
    path.write_text("mine\n", encoding="utf-8")
    old = tmp_path / ".story.txt.abc123.inkwell-tmp"
    young = tmp_path / ".story.txt.def456.inkwell-tmp"
    other = tmp_path / ".notes.txt.abc123.inkwell-tmp"
    for temporary in (old, young, other):
        temporary.write_bytes(b"half a sa")
    past = time.time() - 3600
    os.utime(old, (past, past))
    os.utime(other, (past, past))
    from engine.documents.files import remove_stale_temporaries

    assert remove_stale_temporaries(path) == 1
    assert not old.exists() and young.exists() and other.exists()  # only this file's, only old ones
    assert path.read_text(encoding="utf-8") == "mine\n"
