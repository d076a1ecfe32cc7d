"""Confidence: each word's probability is the product of its tokens' probabilities under
the model, read after the prompt the answer was decoded from; they match a direct
`transformers` forward pass."""

from __future__ import annotations

import math
from typing import Any

import torch

from engine.generation.word_confidence import WordConfidence
from engine.jobs import Request
from tests.conftest import collect, run_async

NOTE = "hey team, gonna be late tmrw cause the bus broke down again."


def assert_forward_pass_agrees(
    loaded: Any, prompt_ids: list[int], text: str, words: tuple[WordConfidence, ...]
) -> None:
    """Each word's p is the product of its tokens' probabilities in one direct forward pass."""
    assert [text[w.start : w.end] for w in words] == text.split()
    tokenizer = loaded.tokenizer
    encoded = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
    with torch.inference_mode():
        logits = loaded.model(torch.tensor([prompt_ids + encoded.input_ids])).logits[0].float()
    probs = torch.softmax(logits, dim=-1)
    for word in words:
        tokens = [k for k, (a, b) in enumerate(encoded.offset_mapping) if a < word.end and b > word.start]
        direct = math.prod(float(probs[len(prompt_ids) - 1 + k, encoded.input_ids[k]]) for k in tokens)
        assert abs(word.p - direct) < 1e-4 * max(1.0, direct), (text[word.start : word.end], word.p, direct)
        assert 0.0 < word.p <= 1.0 and len(word.alternatives) <= 3


def test_confidence_values_are_the_chosen_tokens_probabilities(bundled_engine, loaded) -> None:
    request = Request("rewrite", NOTE, style="formal", confidence=True)
    _deltas, result = run_async(collect(bundled_engine, request))
    words = result.confidence
    assert [result.text[w.start : w.end] for w in words] == result.text.split()
    prompt_ids = bundled_engine._backend.encode(bundled_engine._backend.last_prompt)[0].tolist()
    assert_forward_pass_agrees(loaded, prompt_ids, result.text, words)
    assert min(w.p for w in words) < 0.5 < max(w.p for w in words)  # it tells sure words from guesses


def test_confidence_is_only_read_when_asked(bundled_engine) -> None:
    _deltas, result = run_async(collect(bundled_engine, Request("rewrite", NOTE, style="formal")))
    assert result.confidence == ()


def test_reading_confidence_keeps_the_prompt_cache(fast_engine) -> None:
    """On the fast path the read reuses the cached prompt and leaves it cached: the next
    job's instructions are not read again (a review of many paragraphs relies on that)."""
    _deltas, first = run_async(
        collect(fast_engine, Request("rewrite", NOTE, style="formal", confidence=True))
    )
    assert first.confidence and all(0.0 < w.p <= 1.0 for w in first.confidence)
    _deltas, second = run_async(collect(fast_engine, Request("rewrite", NOTE + " Sorry.", style="formal")))
    assert second.reused_tokens >= 10
