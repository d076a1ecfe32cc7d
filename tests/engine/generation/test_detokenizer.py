"""Incremental decoding with the bundled model's real tokenizer."""

from __future__ import annotations

import pytest

from engine.generation.detokenizer import REPLACEMENT, IncrementalDetokenizer

TEXTS = [
    "我今天很高兴，因为天气很好。我们去公园散步吧！",
    "Emoji: 🌞🚀👩‍👩‍👧‍👦 and flags 🇫🇷🇯🇵 mixed with text.",
    "Accents: café, naïve, Ångström, São Paulo, Zürich — “quotes” …",
    "Plain English with  double  spaces\nand a newline.",
]


@pytest.mark.model
@pytest.mark.parametrize("text", TEXTS)
def test_deltas_never_break_a_character_and_add_up(loaded, text: str) -> None:
    tokenizer = loaded.tokenizer
    ids = tokenizer(text, add_special_tokens=False).input_ids
    detok = IncrementalDetokenizer(tokenizer)
    deltas = [detok.add(token_id) for token_id in ids]
    deltas.append(detok.finish())
    assert all(REPLACEMENT not in delta for delta in deltas)
    assert "".join(deltas) == tokenizer.decode(ids) == text
    assert sum(1 for d in deltas if d) > 3  # it really streamed


@pytest.mark.model
def test_special_tokens_are_not_shown(loaded) -> None:
    tokenizer = loaded.tokenizer
    ids = [*tokenizer("Done.", add_special_tokens=False).input_ids, tokenizer.eos_token_id]
    detok = IncrementalDetokenizer(tokenizer)
    text = "".join(detok.add(i) for i in ids) + detok.finish()
    assert text == "Done."
