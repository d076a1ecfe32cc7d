"""Both decoding paths on real weights: the same processors give the same choices, and copy
drafts give the same greedy answer as decoding token by token."""

from __future__ import annotations

import threading

import pytest
import torch
from transformers import LlamaConfig, LlamaForCausalLM

from engine.fastpath.decoder import FastLlama
from engine.generation.loops import Settings, decode
from engine.jobs import ModelInfo, Request
from engine.models.loader import LoadedModel
from engine.prompting.cleaning import CleanerOptions, OutputCleaner
from tests.conftest import PARAGRAPH

REPORT = (
    "In the third quarter the company sold 450 of the 900 units it had planned, and revenue fell by "
    "12 percent to 3.4 million euros. Marco and Elena will present a new plan to the board in Milan "
    "on June 3."
)


def info() -> ModelInfo:
    return ModelInfo("tiny", "test", "cpu", "float32", "test", False, 256, 0, False, 0.0, "none")


def cleaner() -> OutputCleaner:
    return OutputCleaner(
        CleanerOptions(rewrite_like=False, stop_at_blank_line=False, strip_leading_space=False)
    )


@pytest.mark.model
def test_the_same_processors_choose_the_same_tokens_on_both_paths(loaded) -> None:
    """A tiny random Llama, run by `generate` and by the lean decoder with float weights:
    a seeded sampled answer (temperature, top-p, a minimum length) is token for token the same."""
    torch.manual_seed(0)
    config = LlamaConfig(
        vocab_size=400,
        hidden_size=64,
        intermediate_size=128,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=256,
        eos_token_id=2,
    )
    model = LlamaForCausalLM(config).eval()
    exact = LoadedModel(model, loaded.tokenizer, info(), generation_config=model.generation_config)
    lean = FastLlama.from_model(model, layers="exact", head="exact")
    fast = LoadedModel(None, loaded.tokenizer, info(), fast=lean, generation_config=model.generation_config)
    ids = torch.tensor([[5, 17, 42, 99, 7, 3]])
    for seed in (1, 2, 3):
        never = (11, 12, 13) if seed == 3 else ()  # tokens an answer may not write, on both paths too
        settings = Settings(
            max_new=24, wanted=24, min_new=6, temperature=0.8, top_p=0.9, seed=seed, never=never
        )
        one = decode(exact, ids, settings, cleaner(), lambda _: None, threading.Event())
        two = decode(fast, ids, settings, cleaner(), lambda _: None, threading.Event())
        assert one.token_ids == two.token_ids and len(one.token_ids) >= 6
        assert not set(never) & set(one.token_ids)
        assert one.reason == two.reason


@pytest.mark.model
def test_copy_drafts_give_the_same_greedy_tokens(fast_engine) -> None:
    backend = fast_engine._backend

    def both(text: str, style: str) -> tuple[tuple[int, ...], tuple[int, ...], int]:
        request = Request("rewrite", text, style=style, max_new_tokens=96)
        prompt = backend.render(request)
        ids = backend.encode(prompt)
        runs = []
        for copy in (False, True):
            backend.loaded.fast.forget()
            settings = Settings(  # against the eager step: copy drafts are checked with its numbers
                max_new=96, wanted=96, min_new=1, temperature=0.0, top_p=1.0, seed=None, copy=copy, eager=True
            )
            runs.append(
                decode(
                    backend.loaded,
                    ids,
                    settings,
                    backend._cleaner(request, prompt),
                    lambda _: None,
                    threading.Event(),
                    source_ids=ids[0].tolist(),
                )
            )
        return runs[0].token_ids, runs[1].token_ids, runs[1].drafted

    drafted = 0
    for text, style in ((REPORT, "formal"), (PARAGRAPH, "clearer"), (REPORT, "casual")):
        plain, copied, accepted = fast_engine.submit(lambda t=text, s=style: both(t, s)).result(timeout=300)
        assert plain == copied
        drafted += accepted
    assert drafted > 20  # the drafts were used, not only tried
