"""Which language a text is in: by its script, then by its commonest words.

A small check, not a full identifier: it only has to tell whether an answer is in the
language it should be (a Chinese paragraph's summary in English, a formal rewrite that
became an English letter), and whether the loaded model knows the writer's language.
Scripts decide first (Han, kana, Hangul, Cyrillic, Greek, Arabic...); Latin-script text
is told apart by its function words, which every sentence of a language uses.
"""

from __future__ import annotations

import re

NAMES = {
    "en": "English",
    "zh": "Chinese",
    "ja": "Japanese",
    "ko": "Korean",
    "fr": "French",
    "de": "German",
    "es": "Spanish",
    "it": "Italian",
    "pt": "Portuguese",
    "nl": "Dutch",
    "ru": "Russian",
    "el": "Greek",
    "ar": "Arabic",
    "he": "Hebrew",
    "hi": "Hindi",
    "th": "Thai",
}
_ALIASES = {
    "chinese": "zh", "中文": "zh", "简体中文": "zh", "simplified chinese": "zh", "mandarin": "zh",
    "traditional chinese": "zh", "繁體中文": "zh", "japanese": "ja", "日本語": "ja", "korean": "ko",
    "한국어": "ko", "français": "fr", "deutsch": "de", "español": "es", "italiano": "it",
    "português": "pt", "nederlands": "nl", "русский": "ru",
}  # fmt: skip
_STOPWORDS = {
    "en": "the and of to is was are in that it for with as on be this have not but they he she a an at by "
    "from or who you my we his her i me our their were been has had would will which what when",
    "fr": "le la les et est un une des du que qui dans pour pas sur au avec ce il elle sont",
    "de": "der die das und ist nicht ein eine zu den mit von sich des auf für im dem sie es",
    "es": "el la los las y es en que un una por con para del se no su al lo como más",
    "it": "il lo la gli le e è di che un una per con non del della sono al si nel",
    "pt": "o a os as e é de que um uma para com não do da em no na se por mais",
    "nl": "de het een en is van dat niet in op te zijn met voor er die maar ook",
}
_WORDS = {code: set(words.split()) for code, words in _STOPWORDS.items()}
_SCRIPTS: list[tuple[str, re.Pattern[str]]] = [
    ("ja", re.compile(r"[\u3040-\u30ff]")),  # kana: Japanese even among Han characters
    ("ko", re.compile(r"[\uac00-\ud7af\u1100-\u11ff]")),
    ("zh", re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")),
    ("ru", re.compile(r"[\u0400-\u04ff]")),
    ("el", re.compile(r"[\u0370-\u03ff]")),
    ("ar", re.compile(r"[\u0600-\u06ff]")),
    ("he", re.compile(r"[\u0590-\u05ff]")),
    ("hi", re.compile(r"[\u0900-\u097f]")),
    ("th", re.compile(r"[\u0e00-\u0e7f]")),
]
_LATIN_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
UNKNOWN = ""


def code_of(name: str | None) -> str:
    """ "French", "fr", "中文" → a code of NAMES; "" when it is none of them."""
    if not name:
        return UNKNOWN
    key = name.strip().lower()
    if key in NAMES:
        return key
    for code, english in NAMES.items():
        if english.lower() == key:
            return code
    return _ALIASES.get(key, UNKNOWN)


def name_of(code: str) -> str:
    return NAMES.get(code, code)


def detect(text: str) -> str:
    """The language code of `text`, or "" when there is too little to tell."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 4:
        return UNKNOWN
    counts = {code: len(pattern.findall(text)) for code, pattern in _SCRIPTS}
    if counts["ja"] and counts["ja"] + counts["zh"] >= 0.3 * len(letters):
        return "ja"
    code, count = max(counts.items(), key=lambda item: item[1])
    if count >= 0.3 * len(letters):
        return code
    words = [w.lower() for w in _LATIN_WORD.findall(text)]
    if len(words) < 3:
        return UNKNOWN
    scores = {code: sum(w in stop for w in words) for code, stop in _WORDS.items()}
    ranked = sorted(scores, key=lambda c: scores[c], reverse=True)
    best, second = ranked[0], ranked[1]
    if scores[best] == 0 or scores[best] < 0.08 * len(words):
        return UNKNOWN
    if scores[best] < 1.5 * scores[second] or (len(words) < 8 and best != "en"):
        return UNKNOWN  # too close to call, or too short to say it is not English
    return best
