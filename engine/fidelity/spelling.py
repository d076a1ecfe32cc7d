"""Which words a dictionary knows, and what it proposes for those it does not.

One place for the spell-checking dictionary, so the editor's underlines and the
proofreader's candidates agree. It is pyspellchecker, whose word lists ship inside the
package (offline, no system library), plus the writer's own word list: a plain text file
in the config folder, one word per line, which *Add to dictionary* appends to.
No Qt here: the editor and the engine both use it.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterable
from pathlib import Path

from spellchecker import SpellChecker

from engine.documents.cjk import HAN_KANA, HANGUL

log = logging.getLogger(__name__)

LANGUAGES: dict[str, str] = {
    "en": "English",
    "de": "German",
    "es": "Spanish",
    "fr": "French",
    "it": "Italian",
    "nl": "Dutch",
    "pt": "Portuguese",
    "ru": "Russian",
}
PERSONAL_FILE = "words.txt"
_COMMON = 1000  # how often a word must occur in the word list to count as common

# Words writers confuse that a dictionary cannot catch; a word in two sets gets both.
CONFUSABLE_SETS: tuple[tuple[str, ...], ...] = (
    ("their", "there", "they're"),
    ("its", "it's"),
    ("your", "you're"),
    ("whose", "who's"),
    ("then", "than"),
    ("to", "too"),
    ("a", "an"),
    ("is", "are"),
    ("was", "were"),
    ("has", "have"),
    ("does", "do"),
    ("doesn't", "don't"),
    ("isn't", "aren't"),
    ("wasn't", "weren't"),
    ("hasn't", "haven't"),
    ("affect", "effect"),
    ("accept", "except"),
    ("lose", "loose"),
    ("weather", "whether"),
    ("quiet", "quite"),
    ("of", "off"),
    ("this", "these"),
    ("were", "where"),
    ("advice", "advise"),
    ("passed", "past"),
)
CONFUSABLE: dict[str, tuple[str, ...]] = {}
for group_ in CONFUSABLE_SETS:
    for word_ in group_:
        CONFUSABLE[word_] = tuple(dict.fromkeys((*CONFUSABLE.get(word_, ()), *group_)))


# A word as writers mean it: letters, with inner apostrophes or hyphens ("it's", "well-known").
# Letters, but never CJK: Chinese, Japanese and Korean are not in any dictionary we have,
# so they are skipped rather than all underlined.
_LETTER = rf"(?:(?![{HAN_KANA}{HANGUL}])[^\W\d_])"
WORD = re.compile(rf"{_LETTER}+(?:['’]{_LETTER}+)*")


def language_code(language: str | None) -> str | None:
    """ "fr" for "fr", "French" or "french"; None when no dictionary serves it."""
    if not language:
        return None
    wanted = language.strip().lower()
    for code, name in LANGUAGES.items():
        if wanted in (code, name.lower()):
            return code
    return None


def words_in(text: str) -> Iterable[re.Match[str]]:
    return WORD.finditer(text)


class PersonalWords:
    """The writer's own words, persisted as one word per line."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.words: set[str] = set()
        self._stamp: float | None = None
        self.reload()

    def _mtime(self) -> float | None:
        try:
            return self.path.stat().st_mtime if self.path is not None else None
        except OSError:
            return None

    def reload(self) -> bool:
        """Read the file again if it changed (the editor and the engine share it); True if so."""
        stamp = self._mtime()
        if stamp == self._stamp:
            return False
        self._stamp = stamp
        lines: list[str] = []
        if stamp is not None and self.path is not None:
            try:
                lines = self.path.read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError) as exc:
                log.warning("The personal word list could not be read (%s).", type(exc).__name__)
        self.words = {line.strip() for line in lines if line.strip()}
        return True

    def add(self, word: str) -> None:
        if word in self.words:
            return
        self.words.add(word)
        if self.path is None:
            return
        from engine.toml_files import write_atomically

        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(self.path, "".join(f"{w}\n" for w in sorted(self.words)))
        self._stamp = self._mtime()


@functools.cache
def _word_list(language: str) -> SpellChecker:
    """One loaded word list per language for the whole process (about 37 MB for English):
    the editor's underlines and the engine's proofreader each hold a `Dictionary`, and the
    list itself is only read (the writer's words are kept apart, in `PersonalWords`)."""
    return SpellChecker(language=language, distance=2)


class Dictionary:
    """A language's word list with the writer's words; answers in microseconds per word."""

    def __init__(self, language: str = "en", personal: PersonalWords | None = None) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"no dictionary for {language!r}; choose one of {', '.join(LANGUAGES)}")
        self.language = language
        self.personal = personal or PersonalWords(None)
        self._checker = _word_list(language)
        self._frequency = self._checker.word_frequency
        self._known_cache: dict[str, bool] = {}

    def frequency(self, word: str) -> int:
        return int(self._frequency[word.lower()])

    def is_known(self, word: str) -> bool:
        """Known to the dictionary or the writer; apostrophes of any kind count the same."""
        cached = self._known_cache.get(word)
        if cached is not None:
            return cached
        plain = word.replace("’", "'")
        lower = plain.lower()
        if lower.endswith("'s"):
            lower = lower[:-2]
        known = (
            plain in self.personal.words
            or word in self.personal.words
            or lower in self._frequency
            or (self.language == "en" and any(form in self._frequency for form in _american_forms(lower)))
        )
        self._known_cache[word] = known
        return known

    def suggestions(self, word: str, limit: int = 6) -> list[str]:
        """Known words close to `word`, most frequent first, in the word's own casing."""
        plain = word.replace("’", "'").lower()
        if len(plain) > 30:
            return []
        found = self._checker.candidates(plain) or set()
        ranked = sorted((c for c in found if c != plain), key=lambda c: (-self.frequency(c), c))
        return [
            match_case(word, c)
            for c in [*ranked[: limit - 1], *self._splits(plain), *ranked[limit - 1 :]][:limit]
        ]

    def _splits(self, word: str) -> list[str]:
        """Two words run together ("alot" -> "a lot"): both common, at most two ways."""
        found = []
        for cut in range(1, len(word)):
            left, right = word[:cut], word[cut:]
            if (
                (len(left) > 1 or left in ("a", "i"))
                and len(right) > 1
                and self.frequency(left) >= _COMMON
                and self.frequency(right) >= _COMMON
            ):
                found.append(f"{left} {right}")
        return sorted(found, key=lambda pair: -min(self.frequency(w) for w in pair.split()))[:2]

    def add(self, word: str) -> None:
        self.personal.add(word)
        self._known_cache.pop(word, None)

    def refresh(self) -> None:
        """Take up words another part of the app added to the writer's list."""
        if self.personal.reload():
            self._known_cache.clear()


# British spellings the word list (American) lacks: a writer's "colour" is not a typo.
_BRITISH = (
    ("our", "or"),
    ("ours", "ors"),
    ("oured", "ored"),
    ("ouring", "oring"),
    ("ise", "ize"),
    ("ised", "ized"),
    ("ises", "izes"),
    ("ising", "izing"),
    ("isation", "ization"),
    ("yse", "yze"),
    ("ysed", "yzed"),
    ("tre", "ter"),
    ("tres", "ters"),
    ("ogue", "og"),
    ("lled", "led"),
    ("lling", "ling"),
    ("ence", "ense"),
    ("ae", "e"),
)


def _american_forms(word: str) -> list[str]:
    forms = [word[: -len(british)] + american for british, american in _BRITISH if word.endswith(british)]
    if "ae" in word or "oe" in word:
        forms.append(word.replace("ae", "e").replace("oe", "e"))
    return forms


def match_case(model: str, word: str) -> str:
    """`word` in the casing of `model`: "Teh" -> "The", "TEH" -> "THE"."""
    if len(model) > 1 and model.isupper():
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word
