"""Extractive summaries: within their budget, never repeating, each sentence linked to its source."""

from __future__ import annotations

from pathlib import Path

from engine.fidelity.summaries import extract, from_model, split, words
from engine.fidelity.verdict import judge

ROOT = Path(__file__).resolve().parents[3]
STORY = (ROOT / "benchmarks" / "data" / "heldout.txt").read_text(encoding="utf-8")
DOCS = (ROOT / "benchmarks" / "data" / "python-docs.md").read_text(encoding="utf-8")


def test_every_sentence_is_the_sources_own_and_says_where_it_came_from() -> None:
    summary = extract(STORY)
    assert summary.sentences
    for sentence in summary.sentences:
        text = summary.text[sentence.start : sentence.end]
        assert len(sentence.sources) == 1
        a, b = sentence.sources[0]
        assert STORY[a:b] == text


def test_a_summary_is_at_most_four_tenths_of_a_medium_text_and_never_repeats() -> None:
    summary = extract(STORY)
    assert words(summary.text) <= 0.4 * words(STORY)
    verdict = judge(STORY, summary.text, operation="summarize")
    assert verdict.repeated == () and verdict.invented == ()


def test_a_40000_word_text_is_summarised_in_at_most_500_words() -> None:
    cut = [m.start() for m in __import__("re").finditer(r"\S+", DOCS)][40_000]
    text = DOCS[:cut]
    assert 39_000 < words(text) < 41_000
    summary = extract(text)
    assert words(summary.text) <= 500
    keys = [summary.text[s.start : s.end] for s in summary.sentences]
    assert len(keys) == len(set(keys))


def test_a_chinese_text_is_summarised_in_chinese() -> None:
    text = (
        "今年春天，我们在城东开了一家新的图书馆。图书馆有三层，一层是儿童阅读区。"
        "二层放着历史和文学类的书，三层是安静的自习室。开馆第一周就有两千多人来参观。"
        "很多家长说，孩子们终于有了一个周末可以去的地方。馆长希望明年能增加一个电影放映厅。"
    )
    summary = extract(text)
    assert summary.text and all(text[s.sources[0][0] : s.sources[0][1]] in text for s in summary.sentences)
    assert judge(text, summary.text, operation="summarize").language == ""


def test_a_text_without_sentences_is_refused_with_a_reason() -> None:
    import pytest

    from engine.errors import InputError

    with pytest.raises(InputError, match="nothing to summarize"):
        extract("## a\n\n## b")


def test_headings_and_code_are_not_quoted() -> None:
    text = (
        "# Title\n\nThe first real sentence is here and it says a lot.\n\n```\nx = 1 # a comment here\n```\n"
    )
    assert [s.text for s in split(text)] == ["The first real sentence is here and it says a lot."]


def test_a_model_summary_is_a_candidate_only_when_supported_and_clean() -> None:
    text = (
        "The council met on Monday to discuss the new library. It agreed to spend 2 million on the "
        "building. Work will start in the spring and take about a year. The old library will close."
    )
    good, why = from_model(text, "The council agreed to spend 2 million on the new library building.")
    assert good is not None and why == "" and good.sentences[0].sources
    invented, why = from_model(text, "The council agreed to spend 5 million on the library.")
    assert invented is None and "adds" in why
    unsupported, why = from_model(text, "Local residents protested loudly against the decision of the mayor.")
    assert unsupported is None


def test_a_decimal_point_ends_no_sentence() -> None:
    text = "The delivery charge of 4.95 is too high. The board will review it in December."
    assert [text[s.start : s.end] for s in split(text)] == [
        "The delivery charge of 4.95 is too high.",
        "The board will review it in December.",
    ]
