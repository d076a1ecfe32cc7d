"""Which encoding a file without a byte order mark is in, and the encodings a writer can pick.

Detection is chardet's (a maintained detector, 0BSD; charset-normalizer judges only the
UTF-16/32-without-a-mark case, which chardet calls binary): chardet weighs byte-pair statistics for
every legacy encoding it knows and returns one with a confidence. We only add two things
around it. A result is kept only if it decodes the whole file strictly *and* encodes back
to the same bytes, so an unchanged file always saves byte-exact. And when chardet is
essentially guessing (a few bytes of rare characters give it no statistics to go on), the
writer's own legacy encoding wins if it fits: that is what browsers do with their locale's
fallback encoding, and it is a setting the writer can change.
"""

from __future__ import annotations

import codecs
import locale
from collections.abc import Iterator
from dataclasses import dataclass

# Below this the detector has no real evidence; measured on CPython's cjkencodings files,
# where every right answer scored at least 0.09 and the one wrong one 0.012.
GUESSING = 0.05


@dataclass(frozen=True)
class Encoding:
    codec: str  # Python's canonical codec name
    label: str  # what the writer sees


# What File → Reopen with encoding… and Save with encoding… offer, in menu order.
CHOICES: tuple[Encoding, ...] = (
    Encoding("utf-8", "UTF-8"),
    Encoding("utf-16-le", "UTF-16 LE"),
    Encoding("utf-16-be", "UTF-16 BE"),
    Encoding("gb18030", "GB18030 (简体中文)"),
    Encoding("gbk", "GBK (简体中文)"),
    Encoding("big5", "Big5 (繁體中文)"),
    Encoding("big5hkscs", "Big5-HKSCS (繁體中文, 香港)"),
    Encoding("cp932", "Shift-JIS (日本語)"),
    Encoding("euc_jp", "EUC-JP (日本語)"),
    Encoding("euc_kr", "EUC-KR (한국어)"),
    Encoding("cp949", "CP949 / UHC (한국어)"),
    Encoding("johab", "Johab (한국어)"),
    Encoding("cp1250", "Windows-1250 (Central European)"),
    Encoding("cp1251", "Windows-1251 (Cyrillic)"),
    Encoding("cp1252", "Windows-1252 (Western)"),
    Encoding("cp1253", "Windows-1253 (Greek)"),
    Encoding("cp1254", "Windows-1254 (Turkish)"),
    Encoding("cp1255", "Windows-1255 (Hebrew)"),
    Encoding("cp1256", "Windows-1256 (Arabic)"),
    Encoding("cp1257", "Windows-1257 (Baltic)"),
    Encoding("cp1258", "Windows-1258 (Vietnamese)"),
    Encoding("iso8859-1", "ISO-8859-1 (Latin-1)"),
    Encoding("iso8859-2", "ISO-8859-2 (Latin-2)"),
    Encoding("iso8859-5", "ISO-8859-5 (Cyrillic)"),
    Encoding("iso8859-7", "ISO-8859-7 (Greek)"),
    Encoding("iso8859-9", "ISO-8859-9 (Turkish)"),
    Encoding("iso8859-15", "ISO-8859-15 (Latin-9)"),
    Encoding("koi8-r", "KOI8-R (Russian)"),
    Encoding("mac-roman", "Mac Roman"),
)

# The legacy encoding a writer in each language most likely has old files in.
_BY_LANGUAGE = {
    "zh_CN": "gb18030",
    "zh_SG": "gb18030",
    "zh_TW": "big5",
    "zh_HK": "big5hkscs",
    "zh_MO": "big5hkscs",
    "ja": "cp932",
    "ko": "cp949",
    "ru": "cp1251",
    "uk": "cp1251",
    "bg": "cp1251",
    "pl": "cp1250",
    "cs": "cp1250",
    "sk": "cp1250",
    "hu": "cp1250",
    "sl": "cp1250",
    "hr": "cp1250",
    "el": "cp1253",
    "tr": "cp1254",
    "he": "cp1255",
    "ar": "cp1256",
    "lt": "cp1257",
    "lv": "cp1257",
    "et": "cp1257",
    "vi": "cp1258",
}


def canonical(name: str) -> str:
    """Python's own name for a codec ("Windows-1252" → "cp1252"); raises LookupError."""
    return codecs.lookup(name).name


def label(codec: str) -> str:
    """The short name shown in the status bar ("GB18030", "Windows-1252")."""
    name = canonical(codec)
    for choice in CHOICES:
        if choice.codec == name:
            return choice.label.split(" (")[0]
    return codec.upper()


def locale_default(language: str | None = None) -> str:
    """The legacy encoding for a locale name such as "zh_CN" (Windows-1252 when unknown)."""
    if language is None:
        language = locale.getlocale()[0] or ""
    for key in (language, language.split("_")[0]):
        if key in _BY_LANGUAGE:
            return _BY_LANGUAGE[key]
    return "cp1252"


@dataclass(frozen=True)
class Detection:
    codec: str | None  # None: the bytes are not text
    confidence: float
    text: str | None = None  # the bytes decoded with `codec` (checked anyway, so not done twice)


def _round_trips(data: bytes, codec: str) -> str | None:
    """The text if `codec` decodes `data` strictly and gives the same bytes back."""
    try:
        text = data.decode(codec)
        return text if text.encode(codec) == data else None
    except (UnicodeError, LookupError):
        return None


_WIDE = ["utf_16_le", "utf_16_be", "utf_32_le", "utf_32_be"]


def _wide_unicode(data: bytes) -> Detection | None:
    """UTF-16/32 without a mark, which chardet calls binary when the text has no ASCII.

    A second opinion from charset-normalizer, limited to the only encodings whose text
    is full of NUL bytes, so a real binary file still gets refused.
    """
    import charset_normalizer

    best = charset_normalizer.from_bytes(data, cp_isolation=_WIDE).best()
    if best is None:
        return None
    codec = canonical(best.encoding)
    text = _round_trips(data, codec)
    return None if text is None else Detection(codec, 1.0 - best.chaos, text)


def detect(data: bytes, preferred: str | None = None) -> Detection:
    """The encoding of BOM-less, non-UTF-8 bytes: chardet's answer, kept honest."""
    import chardet  # imported on first use: most files are UTF-8 and never need it

    found = chardet.detect(data)
    name, confidence = found["encoding"], float(found["confidence"] or 0.0)
    if name is None:
        return _wide_unicode(data) or Detection(None, confidence)
    if confidence < GUESSING and preferred:
        text = _round_trips(data, canonical(preferred))
        if text is not None:
            return Detection(canonical(preferred), confidence, text)

    def candidates() -> Iterator[tuple[str | None, float]]:
        """chardet's answer, then (only if it does not fit) the next ones, best first."""
        yield name, confidence
        for other in chardet.detect_all(data):
            yield other["encoding"], float(other["confidence"] or 0.0)

    for candidate, score in candidates():
        if candidate:
            text = _round_trips(data, canonical(candidate))
            if text is not None:
                return Detection(canonical(candidate), score, text)
    return Detection("latin-1", 0.0, data.decode("latin-1"))
