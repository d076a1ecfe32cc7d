from __future__ import annotations

import pytest
import torch

from engine.models.device import choose_device


def test_auto_picks_what_is_there_and_says_why() -> None:
    choice = choose_device("auto")
    if torch.cuda.is_available():
        assert choice.device == "cuda"
    else:
        assert choice.device in ("cpu", "mps")
        assert "no CUDA" in choice.reason or choice.device == "mps"
    assert not choice.fallback


@pytest.mark.skipif(torch.cuda.is_available(), reason="the fallback only happens without CUDA")
def test_asking_for_cuda_without_it_is_a_loud_fallback() -> None:
    choice = choose_device("cuda")
    assert choice.device == "cpu"
    assert choice.fallback
    assert "CUDA was requested" in choice.reason


def test_cpu_defaults_to_exact_float32_and_refuses_half() -> None:
    assert choose_device("cpu").dtype == "float32"
    half = choose_device("cpu", "float16")
    assert half.dtype == "float32"
    assert "float16 is slow" in half.reason
    assert choose_device("cpu", "bfloat16").torch_dtype is torch.bfloat16


def test_unknown_values_are_refused() -> None:
    with pytest.raises(ValueError, match="Unknown device"):
        choose_device("tpu")
    with pytest.raises(ValueError, match="Unknown dtype"):
        choose_device("cpu", "int3")


def test_the_engine_decodes_eagerly_on_every_device_and_only_a_compiled_run_gets_a_static_cache() -> None:
    """A static cache makes `generate` compile for 30 s per new length (measured on an
    H200): the engine must not ask for it, the GPU benchmark does."""
    from engine.generation.loops import device_generate_options

    for device in ("cpu", "cuda", "mps"):
        assert device_generate_options(device) == {}
    assert device_generate_options("cuda", compiled=True) == {"cache_implementation": "static"}
    assert device_generate_options("cpu", compiled=True) == {}
