"""Which words a dictionary knows, and what it proposes for those it does not.

One place for the spell-checking dictionary, so the editor's underlines and the
proofreader's candidates agree. It is pyspellchecker, whose word lists ship inside the
package (offline, no system library), plus the writer's own word list: a plain text file
in the config folder, one word per line, which *Add to dictionary* appends to.
No Qt here: the editor and the engine both use it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from pathlib import Path

from spellchecker import SpellChecker

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

# A word as writers mean it: letters, with inner apostrophes or hyphens ("it's", "well-known").
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def words_in(text: str) -> Iterable[re.Match[str]]:
    return WORD.finditer(text)


class PersonalWords:
    """The writer's own words, persisted as one word per line."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.words: set[str] = set()
        if path is not None and path.is_file():
            try:
                lines = path.read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError) as exc:
                log.warning("The personal word list could not be read (%s).", type(exc).__name__)
                lines = []
            self.words = {line.strip() for line in lines if line.strip()}

    def add(self, word: str) -> None:
        if word in self.words:
            return
        self.words.add(word)
        if self.path is None:
            return
        from engine.settings import write_atomically

        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(self.path, "".join(f"{w}\n" for w in sorted(self.words)))


class Dictionary:
    """A language's word list with the writer's words; answers in microseconds per word."""

    def __init__(self, language: str = "en", personal: PersonalWords | None = None) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"no dictionary for {language!r}; choose one of {', '.join(LANGUAGES)}")
        self.language = language
        self.personal = personal or PersonalWords(None)
        self._checker = SpellChecker(language=language, distance=2)
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
        return [match_case(word, c) for c in ranked[:limit]]

    def add(self, word: str) -> None:
        self.personal.add(word)
        self._known_cache.pop(word, None)


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
