"""CJK text: words counted as word processors do, diffs by character, no spelling underlines."""

from __future__ import annotations

import pytest

from engine.documents.cjk import count_words, has_cjk
from engine.documents.word_diff import Change, tokenize, word_diff
from engine.fidelity.spelling import words_in


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Python（派森）语言是一种容易学习的语言。", 15),  # 14 Han characters and one Latin word
        ("我喜欢写作。I like writing.", 8),
        ("한국어 문장입니다.", 2),  # Korean has spaces: one word per run of Hangul
        ("カタカナです", 6),
        ("Plain English, as before.", 4),
        ("。，「」", 0),  # punctuation alone is no word
    ],
)
def test_words_are_counted_per_han_or_kana_character_and_per_latin_word(text: str, words: int) -> None:
    assert count_words(text) == words


def test_the_diff_marks_the_changed_characters_not_the_whole_sentence() -> None:
    assert tokenize("我喜欢Python编程。") == ["我", "喜", "欢", "Python", "编", "程", "。"]
    pieces = word_diff("我今天很高兴。", "我今天非常高兴。")
    assert [(p.change, p.text) for p in pieces] == [
        (Change.SAME, "我今天"),
        (Change.DELETED, "很"),
        (Change.INSERTED, "非常"),
        (Change.SAME, "高兴。"),
    ]


def test_the_spell_checker_skips_cjk_and_still_sees_latin_words_beside_it() -> None:
    assert [m.group() for m in words_in("Helo 世界wrold 한국어 カナ naïve")] == ["Helo", "wrold", "naïve"]
    assert has_cjk("abc 中") and has_cjk("한") and not has_cjk("naïve")
