"""Which weight kernels this CPU runs fastest, found by measuring them, not by guessing.

The same int4 kernel that is the fastest choice on an AVX-512 or AMX Xeon is slower than
torch's int8 kernel on an AVX2 laptop, and for prefill (many rows at once) plain float32
beats both there. So at the first start on a machine the model's own matrix shapes are
timed with each candidate (int4, int8, bfloat16 and float32 weights; one row for decoding
and many for prefill), in well under 20 s, and the fastest is kept as the machine's plan.
The plan is cached as JSON next to the compiled step, under a key made of what decides
the answer (the CPU's model and instruction set, torch's version, the thread count), so a
new CPU or torch measures again. `INKWELL_CPU_PLAN` forces a plan (`avx2`, `avx512`,
`amx`, or `decode=int8,prefill=exact`), which is how the plans of other machines are
exercised in tests.

Only kinds whose perplexity stays within 1% of float32 on held-out prose are candidates
(tests/engine/test_cpu_plan.py measures it on the bundled model).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import torch

from engine.fastpath.cpu_info import cpu_model, has_int8_dot_product
from engine.fastpath.decoder import INT8_PRODUCTS
from engine.fastpath.threads import engine_threads

if TYPE_CHECKING:
    from engine.fastpath.native_step import Kernels

Product = Callable[[torch.Tensor], torch.Tensor]  # one layer product, as a prefill runs it

log = logging.getLogger(__name__)

__all__ = ["DEFAULT", "Plan", "cpu_model", "current", "has_int8_dot_product", "machine_key", "plan_for"]

PLAN_ENV = "INKWELL_CPU_PLAN"
FORMAT = 5  # 2: float prefill timed with its conversion; 3: int8 needs a 20% lead; 4: native; 5: int8 prefill
DECODE_KINDS = ("int4", "int8")  # bfloat16 and float32 read 2-4x the bytes per token
# "quantized": the decode kernel itself; "int8": the native int8 tiles where harmless, else float32
PREFILL_KINDS = ("quantized", "bf16", "exact", "int8")
PREFILL_ROWS = 256
# The plans a machine of each kind is expected to choose, for forcing one in tests.
KNOWN = {
    "avx2": ("int8", "exact"),
    "avx512": ("int4", "int8"),
    "amx": ("int4", "bf16"),
}


@dataclass(frozen=True)
class Plan:
    decode: str  # the weight kind of every layer's products while decoding
    prefill: str  # "quantized", or the float kind long prompts run in
    source: str  # "measured", "cached", "forced" or "default"
    key: str = ""
    timings_us: dict[str, float] = field(default_factory=dict)  # per kind and phase, one layer

    def describe(self) -> str:
        return f"decode {self.decode}, prefill {self.prefill} ({self.source})"


# Until this machine's plan is measured: 4-bit layers (the native step's, where it runs);
# prompts through the int8 tiles where the CPU has an int8 dot product, else in float32,
# which every CPU kind runs near its best (the 4-bit kernels take the rows of a long prompt
# one by one: 2,000 prompt tokens cost 8 s that way, 2.5 s in float32, 2.1 s with the int8
# tiles on an AVX-512 Xeon). Without the native library, "int8" reads prompts in float32.
DEFAULT = Plan("int4", "int8" if has_int8_dot_product() else "exact", "default")


def machine_key(threads: int | None = None) -> str:
    """What decides which kernel wins; a change of any of it measures again."""
    identity = {
        "cpu": cpu_model(),
        "capability": torch.backends.cpu.get_cpu_capability(),
        "torch": torch.__version__.split("+")[0],
        "threads": threads or engine_threads(),
        "format": FORMAT,
    }
    digest = hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()[:16]
    return f"{identity['capability']}-{identity['threads']}t-{digest}"


def forced(value: str | None = None) -> Plan | None:
    """The plan `INKWELL_CPU_PLAN` names, or None when it is unset."""
    value = (os.environ.get(PLAN_ENV, "") if value is None else value).strip().lower()
    if not value:
        return None
    if value in KNOWN:
        decode, prefill = KNOWN[value]
        return Plan(decode, prefill, "forced", key=value)
    parts = dict(part.split("=", 1) for part in value.split(",") if "=" in part)
    decode, prefill = parts.get("decode", DEFAULT.decode), parts.get("prefill", DEFAULT.prefill)
    if decode not in DECODE_KINDS or prefill not in PREFILL_KINDS or not parts:
        raise ValueError(
            f"{PLAN_ENV}={value!r} is not a plan: use one of {', '.join(KNOWN)}, or "
            f"decode={'|'.join(DECODE_KINDS)},prefill={'|'.join(PREFILL_KINDS)}"
        )
    return Plan(decode, prefill, "forced", key=value)


PRODUCT_NAMES = ("qkv", "out", "gate_up", "down")  # one layer's products, in `matrix_shapes`' order


def matrix_shapes(fast: object) -> list[tuple[int, int]]:
    """(out, in) of one layer's four products, from a `FastLlama` of the model."""
    from engine.fastpath.decoder import Int4Linear

    layer = fast.layers[0]  # type: ignore[attr-defined]
    shapes = []
    for linear in (layer.qkv, layer.out, layer.gate_up, layer.down):
        if isinstance(linear, Int4Linear):
            shapes.append(linear.shape)
        else:
            shapes.append(tuple(linear.weight.shape))
    return shapes


def _time(call: Callable[[], object], budget_s: float) -> float:
    """Median seconds of one call, after a warm-up, within about `budget_s`."""
    call()
    started = time.perf_counter()
    call()
    once = max(time.perf_counter() - started, 1e-6)
    repeats = max(3, min(200, int(budget_s / once)))
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    samples.sort()
    return samples[len(samples) // 2]


def measure(
    shapes: Sequence[tuple[int, int]], *, budget_s: float = 12.0, native: Kernels | None = None
) -> dict[str, float]:
    """Microseconds for one layer's products (every shape once) per kind and phase, with
    random weights of the model's shapes: speed does not depend on the values. `native`
    (engine/fastpath/native_step.py's kernels, when this machine built them) adds their 4-bit
    products as the "native" kind."""
    from engine.fastpath.decoder import Int4Linear, Int8Linear

    def through_native(weight: torch.Tensor) -> Int4Linear:
        linear = Int4Linear(weight)
        linear.native = native
        return linear

    def float_from_codes(dtype: torch.dtype) -> Callable[[torch.Tensor], Product]:
        """A float prefill as the decoder runs it: each call turns the 4-bit codes into
        floats first (no float copy is kept), a cost that short prompts feel most."""

        def make(weight: torch.Tensor) -> Callable[[torch.Tensor], torch.Tensor]:
            codes = Int4Linear(weight)
            return lambda x: torch.nn.functional.linear(x.to(dtype), codes.dense(dtype))

        return make

    def int8_where_harmless(weight: torch.Tensor, name: str) -> Callable[[torch.Tensor], object]:
        """The "int8" prefill as the decoder runs it: the native int8 tiles for the products
        that take the rounding well (engine/fastpath/decoder.py), float32 for the others."""
        if name not in INT8_PRODUCTS:
            return float_from_codes(torch.float32)(weight)
        codes = Int4Linear(weight)
        assert native is not None  # the int8 kind is only measured with the native kernels
        return lambda x: native.matmul_q4_int8(codes.codes, codes.scales, x)

    makers: dict[str, Callable[[torch.Tensor], object]] = {
        "int4": Int4Linear,
        "int8": Int8Linear,
        "bf16": float_from_codes(torch.bfloat16),
        "exact": float_from_codes(torch.float32),
    }
    decoding = list(DECODE_KINDS)
    cases = [(kind, 1) for kind in decoding]
    if native is not None:
        makers["native"] = through_native
        cases.append(("native", 1))
    cases += [(kind, PREFILL_ROWS) for kind in makers]
    if native is not None and _has_int8_tiles(native):
        cases.append(("int8-tiles", PREFILL_ROWS))
    share = budget_s / (len(cases) * len(shapes))
    generator = torch.Generator().manual_seed(0)
    timings: dict[str, float] = {}
    with torch.inference_mode():
        for kind, rows in cases:
            total = 0.0
            for (out_features, in_features), name in zip(shapes, PRODUCT_NAMES, strict=True):
                weight = torch.randn(out_features, in_features, generator=generator) * 0.02
                linear = int8_where_harmless(weight, name) if kind == "int8-tiles" else makers[kind](weight)
                x = torch.randn(rows, in_features, generator=generator)
                total += _time(lambda linear=linear, x=x: linear(x), share)  # type: ignore[misc]
            timings[f"{kind}@{rows}"] = round(total * 1e6, 1)
    return timings


def _has_int8_tiles(native: object) -> bool:
    """Whether this build of the native library has the int8 tiles (AVX2 or better)."""
    from engine.fastpath.decoder import Int4Linear

    probe = Int4Linear(torch.zeros(16, 32))
    return native.matmul_q4_int8(probe.codes, probe.scales, torch.zeros(1, 32)) is not None  # type: ignore[attr-defined]


def choose(timings: dict[str, float]) -> tuple[str, str]:
    """int4 layers wherever the native step runs and beats torch's int8 kernel (it reads
    half the bytes). Without it, int8 only where it clearly beats torch's int4 kernel (by
    20%: it holds twice the bytes, memory matters on a writer's laptop, and one-row timings
    flatter it: on an AVX-512 Xeon they put int8 12% ahead while the model's decode step
    ran at 81 tok/s with int8 layers and 143 with int4). For prefill, another kind only
    where it beats the decode kind's own kernel on many rows (by 10%, to pay for turning
    weights into floats): the fastest of the float kinds and, where the native library has
    them, the int8 tiles."""
    if "native@1" in timings and timings["native@1"] <= timings["int8@1"]:
        decode, quantized = "int4", timings[f"native@{PREFILL_ROWS}"]
    else:
        decode = "int8" if timings["int8@1"] < 0.8 * timings["int4@1"] else "int4"
        quantized = timings[f"{decode}@{PREFILL_ROWS}"]
    candidates = {"bf16": timings[f"bf16@{PREFILL_ROWS}"], "exact": timings[f"exact@{PREFILL_ROWS}"]}
    if decode == "int4" and f"int8-tiles@{PREFILL_ROWS}" in timings:
        candidates["int8"] = timings[f"int8-tiles@{PREFILL_ROWS}"]
    best = min(candidates, key=lambda kind: candidates[kind])
    prefill = best if candidates[best] < 0.9 * quantized else "quantized"
    return decode, prefill


def cached(folder: Path | None) -> Plan | None:
    """This machine's measured plan, when one was cached."""
    if folder is None:
        return None
    key = machine_key()
    path = folder / f"cpu-plan-{key}.json"
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("key") == key and data["decode"] in DECODE_KINDS and data["prefill"] in PREFILL_KINDS:
            return Plan(data["decode"], data["prefill"], "cached", key, data.get("timings_us", {}))
    except (OSError, ValueError, KeyError, TypeError):
        log.warning("The cached CPU plan could not be read; it will be measured again")
    return None


def current(folder: Path | None) -> Plan:
    """The plan to load with now, never measuring (that happens in the background):
    forced, else cached, else the default."""
    return forced() or cached(folder) or DEFAULT


def plan_for(
    shapes: Sequence[tuple[int, int]],
    folder: Path | None,
    *,
    budget_s: float = 12.0,
    measure_with: Callable[..., dict[str, float]] = measure,
) -> Plan:
    """The forced plan, else the cached one for this machine, else a measured one (cached)."""
    chosen = forced()
    if chosen is not None:
        return chosen
    known = cached(folder)
    if known is not None:
        return known
    key = machine_key()
    path = folder / f"cpu-plan-{key}.json" if folder is not None else None
    started = time.perf_counter()
    timings = measure_with(shapes, budget_s=budget_s)
    decode, prefill = choose(timings)
    plan = Plan(decode, prefill, "measured", key, timings)
    log.info("CPU plan: %s, measured in %.1f s", plan.describe(), time.perf_counter() - started)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(".tmp")
            temporary.write_text(json.dumps(asdict(plan), indent=1), encoding="utf-8")
            temporary.replace(path)
        except OSError as exc:
            log.warning("The CPU plan could not be cached: %s", exc.strerror or type(exc).__name__)
    return plan
