"""The per-machine kernel plan: chosen by measurement, cached under the machine's key,
reused, measured again when the key changes, and forced for other CPU kinds."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
import torch

from engine.fastpath import cpu_plan
from engine.fastpath.decoder import DenseLinear, FastLlama, Int4Linear, Int8Linear

SHAPES = [(96, 32), (32, 32), (128, 32), (32, 64)]  # one layer's four products, small


def fake_timings(decode: dict[str, float], prefill: dict[str, float]) -> dict[str, float]:
    rows = cpu_plan.PREFILL_ROWS
    return {**{f"{k}@1": v for k, v in decode.items()}, **{f"{k}@{rows}": v for k, v in prefill.items()}}


AVX2_LIKE = fake_timings(
    {"int4": 94.5, "int8": 74.0}, {"int4": 19.0, "int8": 16.0, "bf16": 57.4, "exact": 11.9}
)
AMX_LIKE = fake_timings({"int4": 40.0, "int8": 55.0}, {"int4": 9.0, "int8": 12.0, "bf16": 3.0, "exact": 8.0})
CLOSE = fake_timings({"int4": 40.0, "int8": 55.0}, {"int4": 9.0, "int8": 12.0, "bf16": 8.5, "exact": 8.7})


def test_the_fastest_kernels_are_chosen_and_floats_only_when_clearly_faster() -> None:
    assert cpu_plan.choose(AVX2_LIKE) == ("int8", "exact")
    assert cpu_plan.choose(AMX_LIKE) == ("int4", "bf16")
    assert cpu_plan.choose(CLOSE) == ("int4", "quantized")  # 6% is not worth turning weights into floats
    near = fake_timings(
        {"int4": 143.6, "int8": 136.4}, {"int4": 13.7, "int8": 14.5, "bf16": 11.1, "exact": 6.3}
    )
    assert cpu_plan.choose(near) == ("int4", "exact")  # 5% faster is not worth twice the bytes
    # Measured on an AVX-512 Xeon where the int8 decode step was in fact 1.76x slower.
    flattering = fake_timings(
        {"int4": 152.6, "int8": 134.0}, {"int4": 13.5, "int8": 13.9, "bf16": 13.6, "exact": 8.2}
    )
    assert cpu_plan.choose(flattering) == ("int4", "exact")
    # With the native step: int4 layers wherever its one-row products beat torch's int8
    # kernel, and its own products are what a float prefill must beat.
    native = {**AVX2_LIKE, "native@1": 60.0, f"native@{cpu_plan.PREFILL_ROWS}": 30.0}
    assert cpu_plan.choose(native) == ("int4", "exact")
    assert cpu_plan.choose({**native, "native@1": 80.0}) == ("int8", "exact")
    assert cpu_plan.choose({**AMX_LIKE, "native@1": 30.0, f"native@{cpu_plan.PREFILL_ROWS}": 2.0}) == (
        "int4",
        "quantized",
    )
    # The native int8 tiles (with float32 where they would cost accuracy) as one more
    # prefill candidate: chosen where fastest, and only with the native 4-bit layers.
    rows = cpu_plan.PREFILL_ROWS
    avx512 = {**native, f"exact@{rows}": 46.6, f"native@{rows}": 400.0, f"int8-tiles@{rows}": 33.5}
    assert cpu_plan.choose(avx512) == ("int4", "int8")
    assert cpu_plan.choose({**avx512, f"int8-tiles@{rows}": 66.4}) == ("int4", "exact")  # AVX2's tiles
    assert cpu_plan.choose({**avx512, "native@1": 80.0})[1] != "int8"  # torch's int8 layers: no tiles


def test_a_plan_is_measured_once_cached_reused_and_measured_again_for_another_machine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(cpu_plan.PLAN_ENV, raising=False)
    calls: list[list[tuple[int, int]]] = []

    def measure(shapes, *, budget_s):
        calls.append(list(shapes))
        return AVX2_LIKE

    first = cpu_plan.plan_for(SHAPES, tmp_path, measure_with=measure)
    assert (first.decode, first.prefill, first.source) == ("int8", "exact", "measured")
    assert calls == [SHAPES]
    again = cpu_plan.plan_for(SHAPES, tmp_path, measure_with=measure)
    assert (again.decode, again.prefill, again.source) == ("int8", "exact", "cached")
    assert len(calls) == 1 and cpu_plan.current(tmp_path).source == "cached"
    saved = json.loads(next(tmp_path.glob("cpu-plan-*.json")).read_text())
    assert saved["timings_us"]["exact@256"] == 11.9
    # another CPU (or torch, or thread count) has another key: measured again
    monkeypatch.setattr(cpu_plan, "cpu_model", lambda: "Some Other CPU")
    assert cpu_plan.current(tmp_path) is cpu_plan.DEFAULT
    other = cpu_plan.plan_for(SHAPES, tmp_path, measure_with=lambda shapes, budget_s: AMX_LIKE)
    assert (other.decode, other.prefill, other.source) == ("int4", "bf16", "measured")
    assert len(list(tmp_path.glob("cpu-plan-*.json"))) == 2


def test_a_damaged_cached_plan_is_measured_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(cpu_plan.PLAN_ENV, raising=False)
    (tmp_path / f"cpu-plan-{cpu_plan.machine_key()}.json").write_text("{not json", encoding="utf-8")
    plan = cpu_plan.plan_for(SHAPES, tmp_path, measure_with=lambda shapes, budget_s: AMX_LIKE)
    assert plan.source == "measured" and plan.decode == "int4"


def test_plans_for_other_cpu_kinds_can_be_forced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for kind, expected in cpu_plan.KNOWN.items():
        monkeypatch.setenv(cpu_plan.PLAN_ENV, kind)
        plan = cpu_plan.plan_for(
            SHAPES, tmp_path, measure_with=lambda shapes, budget_s: pytest.fail("measured")
        )
        assert (plan.decode, plan.prefill, plan.source) == (*expected, "forced")
    monkeypatch.setenv(cpu_plan.PLAN_ENV, "decode=int8,prefill=bf16")
    assert (cpu_plan.current(tmp_path).decode, cpu_plan.current(tmp_path).prefill) == ("int8", "bf16")
    monkeypatch.setenv(cpu_plan.PLAN_ENV, "decode=fp64")
    with pytest.raises(ValueError, match="not a plan"):
        cpu_plan.current(tmp_path)


def test_a_real_measurement_times_every_candidate_in_its_budget(native_kernels) -> None:
    timings = cpu_plan.measure(SHAPES, budget_s=0.5, native=native_kernels)
    rows = cpu_plan.PREFILL_ROWS
    assert set(timings) == {
        "int4@1",
        "int8@1",
        "native@1",
        f"int4@{rows}",
        f"int8@{rows}",
        f"native@{rows}",
        f"bf16@{rows}",
        f"exact@{rows}",
        f"int8-tiles@{rows}",
    }
    assert all(value > 0 for value in timings.values())
    assert cpu_plan.choose(timings)[0] in cpu_plan.DECODE_KINDS


def _native4(weight: torch.Tensor, kernels: object) -> Int4Linear:
    linear = Int4Linear(weight)
    linear.native = kernels
    return linear


@pytest.mark.parametrize(
    "make",
    [Int4Linear, _native4, Int8Linear, lambda w: DenseLinear(w, torch.bfloat16)],
    ids=["int4", "native", "int8", "bf16"],
)
def test_weights_turned_into_floats_give_the_products_of_the_kernels(make, native_kernels) -> None:
    generator = torch.Generator().manual_seed(1)
    weight = torch.randn(96, 64, generator=generator) * 0.05
    linear = make(weight, native_kernels) if make is _native4 else make(weight)
    x = torch.randn(5, 64, generator=generator)
    kernel = linear(x).float()
    dense = torch.nn.functional.linear(x, linear.dense(torch.float32))
    assert torch.allclose(kernel, dense, atol=2e-2 * kernel.abs().max().item())


HELDOUT = Path(__file__).resolve().parents[3] / "benchmarks" / "data" / "heldout.txt"


@pytest.mark.model
def test_every_candidate_plan_keeps_perplexity_within_one_percent_of_float32(loaded, native_kernels) -> None:
    ids = loaded.tokenizer(HELDOUT.read_text(encoding="utf-8"), add_special_tokens=False).input_ids[:512]
    targets = torch.tensor(ids[1:])

    def perplexity(logits: torch.Tensor) -> float:
        log_probs = torch.log_softmax(logits[:-1].float(), dim=-1)
        return math.exp(-log_probs[torch.arange(len(targets)), targets].mean().item())

    with torch.inference_mode():
        exact = perplexity(loaded.model(torch.tensor([ids])).logits[0])
    for decode in (*cpu_plan.DECODE_KINDS, "native"):
        layers = "int4" if decode == "native" else decode
        fast = FastLlama.from_model(loaded.model, layers=layers, head="int8")
        if decode == "native":
            fast.use_native(native_kernels)
        assert cpu_plan.matrix_shapes(fast) == [(960, 576), (576, 576), (3072, 576), (576, 1536)]
        for prefill in cpu_plan.PREFILL_KINDS:
            fast.set_prefill(prefill)
            fast.forget()
            ratio = perplexity(fast.forward(ids, 0, every_position=True)) / exact
            assert abs(ratio - 1) < 0.01, (decode, prefill, ratio)
