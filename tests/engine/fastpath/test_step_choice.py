"""The decode step chosen by timing the steps themselves: the choice from injected timings,
its cache, and the decode steps following it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from transformers import LlamaConfig, LlamaForCausalLM

from engine.backends.decode_steps import DecodeSteps
from engine.fastpath import compiled_step, step_choice
from engine.fastpath.decoder import FastLlama


def test_the_faster_step_is_chosen_and_the_native_one_wins_a_near_tie() -> None:
    # the AMX Xeon of 2026-12-05: native 90 and 57 tok/s, compiled 156 and 72
    amx = {"native": {"150": 11.1, "2000": 17.5}, "compiled": {"150": 6.4, "2000": 13.9}}
    assert step_choice.choose(amx) == "compiled"
    close = {"native": {"150": 10.2, "2000": 14.0}, "compiled": {"150": 10.0, "2000": 13.8}}
    assert step_choice.choose(close) == "native"  # 1.7% apart: no package needed
    slower = {"native": {"150": 7.0, "2000": 12.0}, "compiled": {"150": 8.0, "2000": 13.0}}
    assert step_choice.choose(slower) == "native"
    assert step_choice.choose({"compiled": {"150": 5.0}}) == "compiled"
    assert step_choice.choose({}) == "native"


def test_the_choice_is_cached_with_its_figures_for_this_machine_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(step_choice.STEP_ENV, raising=False)
    assert step_choice.cached(tmp_path) is None
    saved = step_choice.save(tmp_path, {"native": {"150": 11.0}, "compiled": {"150": 6.0}})
    again = step_choice.cached(tmp_path)
    assert again is not None and again.step == saved.step == "compiled" and again.source == "cached"
    assert again.ms_per_token == {"native": {"150": 11.0}, "compiled": {"150": 6.0}}
    assert "compiled 6.00 ms at 150" in again.describe()
    path = next(tmp_path.glob("step-choice-*.json"))
    data = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**data, "key": "another-cpu"}), encoding="utf-8")
    assert step_choice.cached(tmp_path) is None  # another CPU, torch or thread count times again
    monkeypatch.setenv(step_choice.STEP_ENV, "native")
    forced = step_choice.cached(tmp_path)
    assert forced is not None and forced.step == "native" and forced.source == "forced"
    monkeypatch.setenv(step_choice.STEP_ENV, "fastest")
    with pytest.raises(ValueError, match="native or compiled"):
        step_choice.cached(tmp_path)


def test_the_real_step_is_timed_at_each_context_and_the_cache_left_empty() -> None:
    fast = _tiny()
    timings = step_choice.time_step(fast, contexts=(16, 400), steps=4)
    assert list(timings) == ["16", "400"] and all(ms > 0 for ms in timings.values())
    assert fast.cached == []


class _Fast:
    """What DecodeSteps reads of a decoder, with the attachments it makes recorded."""

    def __init__(self, real: FastLlama) -> None:
        self.shape, self.kinds = real.shape, ("int4", "int8")
        self.attached: list[object] = []


@pytest.fixture
def steps_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, object]]:
    """DecodeSteps with both steps possible and nothing real built: what it does is recorded."""
    done: list[tuple[str, object]] = []
    monkeypatch.delenv(step_choice.STEP_ENV, raising=False)
    monkeypatch.setattr(compiled_step, "supports", lambda fast: None)
    monkeypatch.setattr(compiled_step, "is_ready", lambda path: True)
    monkeypatch.setattr(
        DecodeSteps, "_attach_native", lambda self, fast: done.append(("native", None)) or True
    )
    monkeypatch.setattr(
        DecodeSteps, "_attach", lambda self, fast, package: done.append(("compiled", package))
    )

    def start_build(fast: object, path: Path, **options: bool) -> subprocess.Popen[bytes]:
        done.append(("build", options))
        return subprocess.Popen([sys.executable, "-c", "pass"])

    monkeypatch.setattr(compiled_step, "start_build", start_build)
    return done


def _tiny() -> FastLlama:
    """A tiny random Llama on the eager step (2,048 positions)."""
    torch.manual_seed(0)
    config = LlamaConfig(
        vocab_size=64, hidden_size=32, intermediate_size=64, num_hidden_layers=1, num_attention_heads=2
    )
    return FastLlama.from_model(LlamaForCausalLM(config).eval(), layers="exact", head="exact")


def test_the_steps_are_timed_once_in_the_background_and_the_winner_taken_up(
    tmp_path: Path, steps_here: list[tuple[str, object]]
) -> None:
    fast = _Fast(_tiny())
    steps = DecodeSteps(tmp_path, "build")
    steps.prepare(fast)  # type: ignore[arg-type]
    assert steps_here == [("native", None), ("build", {"choose_step": True})]
    assert steps.preparing  # the native step decodes meanwhile
    step_choice.save(tmp_path, {"native": {"150": 11.0}, "compiled": {"150": 6.0}})  # what the child writes
    assert steps.builder is not None
    steps.builder.wait(30)
    steps.poll(fast)  # type: ignore[arg-type]
    assert steps_here[-1][0] == "compiled" and not steps.preparing
    assert steps.choice is not None and steps.choice.step == "compiled"
    # the next start attaches the compiled step right after the load, and builds nothing
    steps_here.clear()
    later = DecodeSteps(tmp_path, "build")
    later.prepare(fast)  # type: ignore[arg-type]
    later.attach_pending(fast)  # type: ignore[arg-type]
    assert [what for what, _ in steps_here] == ["native", "compiled"]


def test_where_the_native_step_was_timed_faster_it_stays(
    tmp_path: Path, steps_here: list[tuple[str, object]]
) -> None:
    step_choice.save(tmp_path, {"native": {"150": 6.0}, "compiled": {"150": 9.0}})
    fast = _Fast(_tiny())
    steps = DecodeSteps(tmp_path, "build")
    steps.prepare(fast)  # type: ignore[arg-type]
    steps.attach_pending(fast)  # type: ignore[arg-type]
    assert steps_here == [("native", None)] and steps.builder is None


def test_a_round_slowed_by_another_program_does_not_decide() -> None:
    first = {"native": {"150": 9.0, "2000": 20.0}, "compiled": {"150": 14.0, "2000": 16.0}}  # busy
    second = {"native": {"150": 9.2, "2000": 17.0}, "compiled": {"150": 6.0, "2000": 15.0}}
    best = step_choice.fastest([first, second])
    assert best == {"native": {"150": 9.0, "2000": 17.0}, "compiled": {"150": 6.0, "2000": 15.0}}
    assert step_choice.choose(best) == "compiled"


def test_timing_waits_while_other_programs_keep_the_cores_busy(monkeypatch: pytest.MonkeyPatch) -> None:
    looks = iter([2.0, 1.5, 0.0])
    monkeypatch.setattr(step_choice, "others_running", lambda: next(looks))
    monkeypatch.setattr(step_choice.time, "sleep", lambda _s: None)
    assert step_choice.wait_for_quiet(timeout_s=60)
    monkeypatch.setattr(step_choice, "others_running", lambda: 3.0)
    assert not step_choice.wait_for_quiet(timeout_s=0)
