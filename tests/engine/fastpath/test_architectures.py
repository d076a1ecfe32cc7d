"""Architectures beyond Llama on the fast path: a Qwen2 model (biases on q, k and v) built
here with random weights, checked against `transformers`' own logits."""

from __future__ import annotations

import pytest
import torch
from transformers import Qwen2Config, Qwen2ForCausalLM

from engine.fastpath import decoder, native_step
from engine.fastpath.decoder import FastLlama


def random_qwen2(seed: int = 0, vocab_size: int = 512) -> Qwen2ForCausalLM:
    """A tiny Qwen2 with every bias and norm weight random, so each one shows in the logits."""
    torch.manual_seed(seed)
    config = Qwen2Config(
        vocab_size=vocab_size,
        hidden_size=128,
        intermediate_size=256,
        num_hidden_layers=3,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=1024,
        rope_theta=1_000_000.0,
        tie_word_embeddings=True,
        use_sliding_window=False,
    )
    model = Qwen2ForCausalLM(config).eval()
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            if name.endswith("bias"):
                parameter.normal_(0.0, 0.5)
            elif "norm" in name:
                parameter.uniform_(0.5, 1.5)
    return model


def cosines(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    return torch.nn.functional.cosine_similarity(a.float(), b.float(), dim=-1)


@pytest.fixture(scope="module")
def qwen2() -> Qwen2ForCausalLM:
    return random_qwen2()


IDS = torch.randint(0, 512, (96,), generator=torch.Generator().manual_seed(1)).tolist()


def test_qwen2_is_supported_and_its_biases_are_taken(qwen2) -> None:
    assert decoder.supports(qwen2) is None
    fast = FastLlama.from_model(qwen2, layers="exact", head="exact")
    assert all(layer.qkv_bias is not None for layer in fast.layers)
    assert fast.shape.rope_theta == 1_000_000.0


def test_the_exact_fast_path_matches_transformers_logits(qwen2) -> None:
    with torch.inference_mode():
        reference = qwen2(torch.tensor([IDS])).logits[0]
        fast = FastLlama.from_model(qwen2, layers="exact", head="exact")
        prompt = fast.forward(IDS, 0, every_position=True)  # the prompt pass, all rows at once
        fast.forget()
        stepped = torch.stack([fast.run(IDS[:8])] + [fast.step(token) for token in IDS[8:]])
    assert cosines(prompt, reference).min() >= 0.999
    assert cosines(stepped, reference[7:]).min() >= 0.999  # the one-token decode step
    assert torch.equal(prompt.argmax(-1), reference.argmax(-1))


def test_without_the_biases_it_would_not_match(qwen2) -> None:
    """The check above could fail: the same network without its biases computes else."""
    with torch.inference_mode():
        reference = qwen2(torch.tensor([IDS])).logits[0]
        fast = FastLlama.from_model(qwen2, layers="exact", head="exact")
        for layer in fast.layers:
            layer.qkv_bias = None
        unbiased = fast.forward(IDS, 0, every_position=True)
    assert cosines(unbiased, reference).mean() < 0.99


def test_the_4bit_native_step_matches_transformers_and_the_eager_step(qwen2, native_kernels) -> None:
    fast = FastLlama.from_model(qwen2, layers="int4", head="int8")
    fast.use_native(native_kernels)
    assert native_step.supports(fast) is None
    fast.attach(native_step.NativeStep(fast, native_kernels), native_step.KV_DTYPE)
    with torch.inference_mode():
        reference = qwen2(torch.tensor([IDS])).logits[0, 7:]
        native = torch.stack([fast.run(IDS[:8])] + [fast.step(token) for token in IDS[8:]])
        position = len(IDS) - 1
        keys = fast._k[:, :, position].clone()
        fast.truncate(position)
        eager = fast.step(IDS[-1], eager=True)
    # The C step adds the biases as torch does: the same keys in the cache (a missing bias
    # once showed here as keys off by exactly the bias), the same logits.
    assert torch.allclose(fast._k[:, :, position].float(), keys.float(), rtol=1e-2, atol=1e-2)
    assert cosines(native[-1], eager) > 0.9999
    assert cosines(native, reference).min() >= 0.99  # within 4-bit rounding of float32


def test_the_saved_fast_weights_keep_the_biases(qwen2) -> None:
    fast = FastLlama.from_model(qwen2, layers="int4", head="int8")
    tensors, meta = fast.state()
    again = FastLlama.from_state(tensors, meta)
    with torch.inference_mode():
        assert torch.equal(fast.forward(IDS[:20], 0), again.forward(IDS[:20], 0))
    assert all(torch.equal(a.qkv_bias, b.qkv_bias) for a, b in zip(fast.layers, again.layers, strict=True))
