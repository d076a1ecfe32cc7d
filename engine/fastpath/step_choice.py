"""Which decode step this machine runs fastest, found by timing the steps themselves.

The CPU plan (engine/fastpath/cpu_plan.py) times one layer's products, one row at a time,
and that did not predict the step: on a 2-core AMX Xeon it put the native step's kernels
ahead while the model decoded at 90 tok/s through the native step and at 156 through the
compiled 4-bit step. So the background build also times the model's real step, each
candidate attached in turn, at a short and a long context, keeps the fastest and caches
the choice with its figures beside the plan, under the same machine key. The native step
is the default until then (it is built in a second; the compiled one takes a minute).
`INKWELL_DECODE_STEP` forces a step (`native` or `compiled`).
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

import torch

from engine.fastpath import native_step
from engine.fastpath.cpu_plan import machine_key
from engine.fastpath.decoder import FastLlama
from engine.fastpath.threads import others_running

log = logging.getLogger(__name__)

STEP_ENV = "INKWELL_DECODE_STEP"
STEPS = ("native", "compiled")
CONTEXTS = (150, 2000)  # prompt tokens before the step: a paragraph, and a long selection
TIMED_STEPS = 24  # per context, after two warm-up steps
TIE = 0.03  # within this share the native step wins: it needs no package and no compile
ROUNDS = 2  # each step timed this many times, in turn
QUIET_WAIT_S = 60.0
FORMAT = 1


@dataclass(frozen=True)
class StepChoice:
    step: str  # "native" or "compiled"
    source: str  # "measured", "cached" or "forced"
    key: str = ""
    ms_per_token: dict[str, dict[str, float]] = field(default_factory=dict)  # step -> context -> ms

    def describe(self) -> str:
        figures = "; ".join(
            f"{step} " + ", ".join(f"{ms:.2f} ms at {context}" for context, ms in contexts.items())
            for step, contexts in self.ms_per_token.items()
        )
        return f"{self.step} ({self.source}{': ' + figures if figures else ''})"


def time_step(
    fast: FastLlama, contexts: tuple[int, ...] = CONTEXTS, steps: int = TIMED_STEPS
) -> dict[str, float]:
    """Milliseconds per token of `fast`'s attached step (median of `steps`) with each of
    `contexts` tokens already in the cache. The cache's contents do not change the time, so
    it is filled with whatever it holds; the caller forgets it afterwards."""
    out: dict[str, float] = {}
    for context in contexts:
        wait_for_quiet()
        context = min(context, fast.shape.context - steps - 3)
        fast.forget()
        fast._ensure_capacity(context + steps + 3)
        fast.cached = [0] * context
        for _ in range(2):
            fast.step(0)
        samples = []
        for _ in range(steps):
            started = time.perf_counter()
            fast.step(0)
            samples.append(time.perf_counter() - started)
        samples.sort()
        out[str(context)] = round(samples[len(samples) // 2] * 1e3, 3)
    fast.forget()
    return out


def wait_for_quiet(timeout_s: float = QUIET_WAIT_S) -> bool:
    """Wait while other programs keep the cores busy (the app decoding, a build), so the
    steps are timed on an idle machine; False when it never was within `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while True:
        busy = others_running()
        if busy is None or busy < 0.5:
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.5)


def fastest(rounds: list[dict[str, dict[str, float]]]) -> dict[str, dict[str, float]]:
    """Per step and context, the fastest of several rounds timed in turn (A B A B): a
    round slowed by another program does not decide."""
    best: dict[str, dict[str, float]] = {}
    for timings in rounds:
        for step, by in timings.items():
            mine = best.setdefault(step, {})
            for context, ms in by.items():
                mine[context] = min(ms, mine.get(context, ms))
    return best


def choose(timings: Mapping[str, Mapping[str, float]]) -> str:
    """The step with the lowest mean time over the contexts; the native step when it is
    within TIE of the best (or the only one timed)."""
    means = {step: sum(by.values()) / len(by) for step, by in timings.items() if by}
    if not means:
        return "native"
    best = min(means, key=means.__getitem__)
    if "native" in means and means["native"] <= means[best] * (1 + TIE):
        return "native"
    return best


def choice_key() -> str:
    """The machine's key and the native step's source: a new kernel is timed again (the
    2026-12-07 prefetching made the native step 2.6 times faster where it had lost)."""
    return f"{machine_key()}-c{native_step.source_digest()}"


def _path(folder: Path) -> Path:
    return folder / f"step-choice-{choice_key()}.json"


def forced(value: str | None = None) -> StepChoice | None:
    value = (os.environ.get(STEP_ENV, "") if value is None else value).strip().lower()
    if not value:
        return None
    if value not in STEPS:
        raise ValueError(f"{STEP_ENV}={value!r} is not a decode step: use {' or '.join(STEPS)}")
    return StepChoice(value, "forced", value)


def cached(folder: Path | None) -> StepChoice | None:
    """This machine's measured choice, when one was cached (forced first)."""
    chosen = forced()
    if chosen is not None or folder is None:
        return chosen
    path = _path(folder)
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") == FORMAT and data.get("key") == choice_key() and data["step"] in STEPS:
            return StepChoice(data["step"], "cached", data["key"], data.get("ms_per_token", {}))
    except (OSError, ValueError, KeyError, TypeError):
        log.warning("The cached decode-step choice could not be read; it will be timed again")
    return None


def save(folder: Path, timings: Mapping[str, Mapping[str, float]]) -> StepChoice:
    """Choose from `timings` and cache the choice with them."""
    choice = StepChoice(choose(timings), "measured", choice_key(), {k: dict(v) for k, v in timings.items()})
    path = _path(folder)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        staging = path.with_suffix(".tmp")
        staging.write_text(json.dumps({**asdict(choice), "format": FORMAT}, indent=1), encoding="utf-8")
        staging.replace(path)
    except OSError as exc:
        log.warning("The decode-step choice could not be cached: %s", exc.strerror or type(exc).__name__)
    log.info("Decode step: %s", choice.describe())
    return choice


def threads_note() -> str:
    """What the timings ran with, for the log."""
    return f"{torch.get_num_threads()} threads, capability {torch.backends.cpu.get_cpu_capability()}"
