"""Model folders of other families, built here with random weights and the bundled
tokenizer: a GPT-Neo base model (the seed's own family) through the exact path with the
completion templates, and a Qwen2 chat model onto the fast path with the native step."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer, GPTNeoConfig, GPTNeoForCausalLM

from engine.factory import create_local_engine
from engine.generation.loops import Settings, decode
from engine.jobs import Request
from engine.models.spec import ModelSpec
from tests.conftest import PARAGRAPH, collect, run_async
from tests.engine.fastpath.test_architectures import random_qwen2

pytestmark = pytest.mark.model


def save_tokenizer(tokenizer, folder: Path, *, chat: bool) -> None:
    tokenizer.save_pretrained(folder)
    if chat:
        return
    (folder / "chat_template.jinja").unlink(missing_ok=True)  # a base model has none
    config = folder / "tokenizer_config.json"
    settings = json.loads(config.read_text(encoding="utf-8"))
    settings.pop("chat_template", None)
    config.write_text(json.dumps(settings), encoding="utf-8")


@pytest.fixture(scope="module")
def gpt_neo_folder(loaded, tmp_path_factory) -> Path:
    torch.manual_seed(0)
    config = GPTNeoConfig(
        vocab_size=len(loaded.tokenizer),
        hidden_size=64,
        num_layers=2,
        num_heads=4,
        attention_types=[[["global", "local"], 1]],
        window_size=64,
        max_position_embeddings=512,
        bos_token_id=loaded.tokenizer.bos_token_id,
        eos_token_id=loaded.tokenizer.eos_token_id,
    )
    folder = tmp_path_factory.mktemp("gpt-neo")
    GPTNeoForCausalLM(config).eval().save_pretrained(folder)
    save_tokenizer(loaded.tokenizer, folder, chat=False)
    return folder


def greedy_reference(folder: Path, prompt_text: str, count: int) -> tuple[tuple[int, ...], int]:
    model = AutoModelForCausalLM.from_pretrained(folder).eval()
    tokenizer = AutoTokenizer.from_pretrained(folder)
    ids = tokenizer(prompt_text, add_special_tokens=False, return_tensors="pt").input_ids
    with torch.inference_mode():
        reference = model.generate(ids, max_new_tokens=count, do_sample=False, min_new_tokens=1)
    return tuple(reference[0, ids.shape[1] :].tolist()), ids.shape[1]


def test_a_gpt_neo_base_model_continues_and_rewrites_through_the_exact_path(
    gpt_neo_folder: Path, cache_dir: Path
) -> None:
    engine = create_local_engine(cache_dir=cache_dir, precision="fast").start()
    try:
        info = engine.load(ModelSpec.parse(str(gpt_neo_folder))).result(timeout=300)
        assert "gpt_neo" in info.precision_note and not info.has_chat_template  # exact float32
        backend = engine._backend
        assert backend.loaded.fast is None and backend.loaded.model is not None
        # Continue, the whole job: greedy tokens are generate's.
        request = Request("continue", PARAGRAPH, max_new_tokens=24)
        prompt = engine.render(request).result(timeout=60)
        assert prompt.form == "completion" and "<|im_start|>" not in prompt.text
        _deltas, result = run_async(collect(engine, request))
        assert result.new_tokens > 0
        expected, prompt_tokens = greedy_reference(gpt_neo_folder, prompt.text, len(result.token_ids))
        assert result.token_ids == expected and result.prompt_tokens == prompt_tokens
        # Rewrite: a random model's answer fails the fidelity checks and is retried with
        # sampling, so its first, greedy decode is compared, run as `generate` runs it.
        rewrite = Request("rewrite", PARAGRAPH, style="clearer", max_new_tokens=24)
        prompt = engine.render(rewrite).result(timeout=60)
        assert prompt.form == "completion" and PARAGRAPH in prompt.text

        def first_decode() -> tuple[int, ...]:
            ids = backend.encode(prompt)
            settings = Settings(max_new=24, wanted=24, min_new=1, temperature=0.0, top_p=1.0, seed=None)
            cleaner = backend._cleaner(rewrite, prompt)
            return decode(backend.loaded, ids, settings, cleaner, lambda _: None, threading.Event()).token_ids

        tokens = engine.submit(first_decode).result(timeout=120)
    finally:
        engine.close()
    assert tokens and tokens == greedy_reference(gpt_neo_folder, prompt.text, len(tokens))[0]


def test_a_qwen2_folder_loads_onto_the_fast_path_with_the_native_step(
    loaded, cache_dir: Path, tmp_path
) -> None:
    model = random_qwen2(vocab_size=len(loaded.tokenizer))
    model.save_pretrained(tmp_path)
    save_tokenizer(loaded.tokenizer, tmp_path, chat=True)
    engine = create_local_engine(cache_dir=cache_dir, precision="fast").start()
    try:
        info = engine.load(ModelSpec.parse(str(tmp_path))).result(timeout=300)
        assert info.precision.startswith("fast"), info.precision_note
        backend = engine._backend
        assert backend.loaded.fast.layers[0].qkv_bias is not None
        engine.submit(lambda: None).result(timeout=60)
        request = Request("continue", "Once upon a time", max_new_tokens=16)
        _deltas, result = run_async(collect(engine, request))
        assert backend.compiled  # the native step, biases and all
    finally:
        engine.close()
    assert result.new_tokens > 0
