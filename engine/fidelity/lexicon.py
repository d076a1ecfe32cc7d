"""The style word lists of `resources/style.toml`, read once.

They are data, not code, so a writer or a translator can extend them like the prompts;
the proposals made from them are still judged by the model before they apply.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

Phrases = dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class Lexicon:
    contractions: Phrases
    slang: Phrases
    informal: Phrases
    formal_words: Phrases
    wordy: Phrases
    fillers: tuple[str, ...]
    hedges: tuple[str, ...]
    asides: tuple[str, ...]
    concise: Phrases

    @property
    def expansions(self) -> Phrases:
        """The formal forms a contraction stands for."""
        return self.contractions


def _phrases(table: dict[str, list[str]]) -> Phrases:
    return {key.lower(): tuple(value) for key, value in table.items()}


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    data = tomllib.loads(resources.files("resources").joinpath("style.toml").read_text(encoding="utf-8"))
    return Lexicon(
        contractions=_phrases(data["contractions"]),
        slang=_phrases(data["slang"]),
        informal=_phrases(data["informal"]),
        formal_words=_phrases(data["formal_words"]),
        wordy=_phrases(data["wordy"]),
        fillers=tuple(word.lower() for word in data["fillers"]["words"]),
        hedges=tuple(word.lower() for word in data["hedges"]["words"]),
        asides=tuple(word.lower() for word in data["asides"]["words"]),
        concise=_phrases(data["concise"]),
    )


def phrase_pattern(phrases: list[str] | tuple[str, ...]) -> re.Pattern[str]:
    """A case-insensitive whole-word pattern for any of `phrases`, longest first (so
    "a bunch of" wins over "bunch of"); apostrophes match both ' and ’."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    alternatives = [re.escape(p).replace("'", "['’]").replace(r"\ ", r"\s+") for p in ordered]
    return re.compile(r"(?<![\w'’])(?:" + "|".join(alternatives) + r")(?![\w'’])", re.IGNORECASE)
