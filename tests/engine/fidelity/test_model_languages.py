"""What the loaded model cannot write is refused or warned about, before it is written."""

from __future__ import annotations

import pytest

from engine.fidelity.language import detect
from engine.fidelity.model_languages import check
from engine.jobs import Request

ENGLISH_ONLY = ("en",)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("我们明天下午三点开会。", "zh"),
        ("明日の会議は三時からです。", "ja"),
        ("Nous nous retrouvons demain à la gare avec les enfants.", "fr"),
        ("Der Zug kommt heute nicht, weil das Wetter schlecht ist.", "de"),
        ("a lighthouse keeper who finds a message in a bottle", "en"),
        ("ok", ""),
    ],
)
def test_the_language_of_a_text(text: str, code: str) -> None:
    assert detect(text) == code


def test_a_rewrite_of_chinese_on_an_english_model_is_refused_naming_qwen() -> None:
    gate = check(
        Request("rewrite", "我们明天下午三点开会。", style="formal"), "rewrite", ENGLISH_ONLY, "Small"
    )
    assert "Chinese" in gate.refusal and "Qwen2.5" in gate.refusal


def test_summaries_and_proofreading_are_never_refused() -> None:
    for operation in ("summarize", "proofread"):
        assert (
            check(Request(operation, "我们明天下午三点开会。"), operation, ENGLISH_ONLY, "Small").refusal
            == ""
        )


def test_a_translation_into_an_unknown_language_warns_and_goes_ahead() -> None:
    gate = check(
        Request("translate", "We meet at three.", language="Chinese"), "translate", ENGLISH_ONLY, "Small"
    )
    assert gate.refusal == "" and "does not know Chinese" in gate.warning


def test_a_model_whose_languages_are_not_known_is_never_refused() -> None:
    assert check(Request("rewrite", "我们明天下午三点开会。", style="formal"), "rewrite", (), "Big") == check(
        Request("rewrite", "x", style="formal"), "rewrite", (), "Big"
    )
