"""CJK text: which characters are Chinese, Japanese or Korean, and what counts as a word.

Chinese and Japanese are written without spaces, so splitting on whitespace counts a whole
paragraph as one "word". Word processors (Word, LibreOffice, novelWriter) count each Han or
kana character as a word instead; we do the same. Korean puts spaces between words, so a
run of Hangul counts once, like a Latin word.
"""

from __future__ import annotations

import re

# Han ideographs (with the radicals and extensions), kana and bopomofo: one character, one word.
HAN_KANA = (
    "\u2e80-\u2fdf\u3040-\u30ff\u3100-\u312f\u31a0-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\U00020000-\U0003134f"
)
HANGUL = "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af"
CJK_PUNCTUATION = "\u3000-\u303f\ufe30-\ufe4f\uff00-\uff65"  # 。，「」 and full-width forms

HAN_KANA_CHAR = re.compile(f"[{HAN_KANA}]")
_NOT_A_WORD = re.compile(f"[{HAN_KANA}{CJK_PUNCTUATION}]")
ANY_CJK = re.compile(f"[{HAN_KANA}{HANGUL}{CJK_PUNCTUATION}]")


def count_words(text: str) -> int:
    """Latin (and Korean) words between spaces, plus one per Han or kana character."""
    characters = len(HAN_KANA_CHAR.findall(text))
    return characters + len(_NOT_A_WORD.sub(" ", text).split())


def has_cjk(text: str) -> bool:
    return ANY_CJK.search(text) is not None
