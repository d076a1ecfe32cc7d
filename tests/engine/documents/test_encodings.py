"""Legacy encodings: every file of CPython's own CJK test corpus opens as its true text."""

from __future__ import annotations

import codecs
import sysconfig
from pathlib import Path

import pytest

from engine.documents import encodings
from engine.documents.files import DocumentError, read_document, write_document

CORPUS = Path(sysconfig.get_path("stdlib")) / "test" / "cjkencodings"
STATEFUL = {"hz", "iso2022_jp", "iso2022_kr"}  # escape-sequence encodings, out of scope
LEGACY = sorted(
    path.stem
    for path in CORPUS.glob("*.txt")
    if not path.stem.endswith("-utf8") and path.stem not in STATEFUL
)

LETTER = (
    "Dear Ms. Müller,\n\nThank you for the “quick” reply — the café’s invoice of €1,250 arrived. "
    "Señor Núñez naïvely thought the façade cost 10 % less… Best regards, Zoë\n"
)
CHINESE = "这是一个用旧编码保存的中文文件。写作的人希望看到正确的文字，而不是乱码。\n"


def test_the_corpus_is_there() -> None:
    assert len(LEGACY) == 12, (
        LEGACY
    )  # big5 … shift_jisx0213; a Python without tests would skip nothing silently


@pytest.mark.parametrize("stem", LEGACY)
def test_every_legacy_cjk_file_opens_as_its_true_text_and_saves_back_byte_exact(
    stem: str, tmp_path: Path
) -> None:
    original = (CORPUS / f"{stem}.txt").read_bytes()
    truth = (CORPUS / f"{stem}-utf8.txt").read_text(encoding="utf-8")
    # 23 bytes of Hong Kong characters carry no statistics; a Hong Kong writer's locale decides.
    preferred = (
        encodings.locale_default("zh_HK") if stem == "big5hkscs" else encodings.locale_default("en_US")
    )
    path = tmp_path / f"{stem}.txt"
    path.write_bytes(original)
    loaded = read_document(path, preferred=preferred)
    assert loaded.text == truth.replace("\r\n", "\n"), loaded.format.encoding
    assert loaded.format.guessed and not loaded.format.fallback
    write_document(path, loaded.text, loaded.format)
    assert path.read_bytes() == original


def test_the_hkscs_file_is_beyond_detection_alone_and_the_locale_only_wins_when_detection_guesses() -> None:
    """Say so plainly: without the locale the 23-byte file is misread, and the preference
    never overrides a detection with real evidence (a GB18030 file stays GB18030)."""
    data = (CORPUS / "big5hkscs.txt").read_bytes()
    assert encodings.detect(data).codec != "big5hkscs"
    assert encodings.detect(data, "big5hkscs").codec == "big5hkscs"
    assert encodings.detect((CORPUS / "gb18030.txt").read_bytes(), "big5hkscs").codec == "gb18030"


@pytest.mark.parametrize(
    ("text", "codec", "bom"),
    [
        (LETTER, "cp1252", b""),
        (CHINESE * 3, "utf-16-le", b""),
        (CHINESE * 3, "utf-16-be", b""),
        (LETTER, "utf-32-le", codecs.BOM_UTF32_LE),
        ("Здравствуйте! Это письмо в кодировке Windows-1251, как в старых файлах.\n", "cp1251", b""),
        ("Zażółć gęślą jaźń — to zdanie ma wszystkie polskie litery. Dziękuję.\n", "cp1250", b""),
        (CHINESE, "gb18030", b""),
    ],
)
def test_western_and_unmarked_utf16_files_open_right(
    text: str, codec: str, bom: bytes, tmp_path: Path
) -> None:
    original = bom + text.encode(codec)
    path = tmp_path / "letter.txt"
    path.write_bytes(original)
    loaded = read_document(path)
    assert loaded.text == text
    assert encodings.canonical(loaded.format.encoding) == encodings.canonical(codec)
    write_document(path, loaded.text, loaded.format)
    assert path.read_bytes() == original


def test_reopening_with_an_encoding_reads_it_so_and_refuses_bytes_that_do_not_fit(tmp_path: Path) -> None:
    path = tmp_path / "big5.txt"
    path.write_bytes((CORPUS / "big5.txt").read_bytes())
    as_latin = read_document(path, encoding="latin-1")  # every byte fits, the characters are wrong
    assert as_latin.format.encoding == "iso8859-1" and not as_latin.format.guessed
    right = read_document(path, encoding="big5")
    assert right.text == (CORPUS / "big5-utf8.txt").read_text(encoding="utf-8")
    with pytest.raises(DocumentError, match=r"not valid GBK \(byte 1 does not fit\)"):
        read_document(path, encoding="gbk")
    with pytest.raises(DocumentError, match="not valid UTF-8"):
        read_document(path, encoding="utf-8")


def test_saving_with_another_encoding_converts_or_names_the_character_that_does_not_fit(
    tmp_path: Path,
) -> None:
    path = tmp_path / "note.txt"
    path.write_text(CHINESE, encoding="utf-8")
    loaded = read_document(path)
    from dataclasses import replace

    write_document(path, loaded.text, replace(loaded.format, encoding="gb18030"))
    assert path.read_bytes() == CHINESE.encode("gb18030")
    with pytest.raises(DocumentError, match=r"'这'.*Windows-1252 cannot store"):
        write_document(path, loaded.text, replace(loaded.format, encoding="cp1252"))
    assert path.read_bytes() == CHINESE.encode("gb18030")


def test_every_offered_encoding_is_a_real_codec_with_a_label() -> None:
    codecs_seen = [encodings.canonical(choice.codec) for choice in encodings.CHOICES]
    assert len(set(codecs_seen)) == len(codecs_seen)
    for needed in ("gb18030", "big5", "cp932", "euc_kr", "cp1250", "cp1252", "iso8859-1", "iso8859-15"):
        assert needed in codecs_seen
    assert encodings.label("Windows-1252") == "Windows-1252"
    assert encodings.locale_default("zh_CN") == "gb18030" and encodings.locale_default("de_DE") == "cp1252"
