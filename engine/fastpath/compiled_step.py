"""The fast decoder's decode step, compiled ahead of time: one C++ call per token.

At this model size a decode step is mostly the cost of ~750 small tensor operations
launched one by one from Python, not arithmetic. AOTInductor (`torch.export` plus
`aoti_compile_and_package`) turns the whole step into one shared library whose kernels
fuse the norms, rotary embedding, attention and residuals around torch's own int4/int8
matrix kernels. Measured on this 2-core machine: about 207 tokens/s against about 155
for the same step in eager mode, and 130 against 100 at 2,000 tokens of context.

The step is written without mutating its inputs: it returns the new token's keys and
values and the caller writes them into the cache (an in-place write of a graph input
makes the compiled graph copy the whole cache back every step). Attention over the cached
tokens is written as plain multiply-and-sum, which Inductor fuses with reading the
bfloat16 cache, so long prompts read half the bytes.

Compiling takes about 45 s, so it never happens on the writer's request: the package is
built once in a separate low-priority process and cached (keyed by the model's shape,
torch's version and the CPU's instruction set, not by its weights, which are handed in
at load time and shared, not copied). Until it is ready the eager step runs.
"""

from __future__ import annotations

import ctypes
import functools
import hashlib
import json
import logging
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import torch
import torch.nn.functional as F

from engine.fastpath import cpu_plan, layer_math
from engine.fastpath.decoder import FastLlama, Int4Linear, Int8Linear, Shape, Step
from engine.fastpath.threads import engine_threads
from engine.models.cache import crc32_of

log = logging.getLogger(__name__)

KV_DTYPE = torch.bfloat16
GROUP = Int4Linear.GROUP
FORMAT = 1
NO_COMPILE_ENV = "INKWELL_NO_COMPILE"  # set to 1 to always run the eager step

Runner = Callable[..., tuple[torch.Tensor, torch.Tensor, torch.Tensor]]


def supports(fast: FastLlama) -> str | None:
    """None when the step can be compiled for this decoder, else why not."""
    if os.environ.get(NO_COMPILE_ENV) == "1":
        return f"{NO_COMPILE_ENV}=1"
    linears = [
        linear for layer in fast.layers for linear in (layer.qkv, layer.out, layer.gate_up, layer.down)
    ]
    if not (
        all(isinstance(x, Int4Linear) for x in linears) or all(isinstance(x, Int8Linear) for x in linears)
    ):
        return "the layers are neither all 4-bit nor all 8-bit"
    if not isinstance(fast.lm_head, Int8Linear):
        return "the output matrix is not int8"
    if any(layer.qkv_bias is not None for layer in fast.layers):
        return "its attention has biases (Qwen2), which the native step handles instead"
    return None


def package_name(shape: Shape, threads: int | None = None, layers: str = "int4") -> str:
    """The package depends on the architecture, torch, the CPU and the thread count (which
    Inductor builds its parallel loops for), never on the weights."""
    capability = torch.backends.cpu.get_cpu_capability()
    version = torch.__version__.split("+")[0]
    threads = threads or engine_threads()
    key = json.dumps({"shape": shape.__dict__, "format": FORMAT, "layers": layers}, sort_keys=True)
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return f"decode-step-{digest}-torch{version}-{capability}-{threads}t.pt2"


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return cast(Callable[[int], int], ctypes.CDLL("libc.so.6").malloc_trim)
    except (OSError, AttributeError):  # not glibc
        return None


def release_freed_memory() -> None:
    """Give memory freed by the C allocator back to the system. Packing the 4-bit weights
    for torch's kernel frees an int32 copy of every matrix, and glibc kept 146 MB of those
    holes: the window peaked at 732 MB with the compiled step, 580 with the native one."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


class DecodeStep(torch.nn.Module):
    """One token through every layer, from the decoder's own tensors (shared, not copied)."""

    def __init__(self, fast: FastLlama) -> None:
        super().__init__()
        self.shape = fast.shape
        for index, layer in enumerate(fast.layers):
            self.register_buffer(f"l{index}_input_norm", layer.input_norm)
            self.register_buffer(f"l{index}_post_norm", layer.post_norm)
            for name in ("qkv", "out", "gate_up", "down"):
                linear = getattr(layer, name)
                if isinstance(linear, Int4Linear):
                    packed, scales_and_zeros = linear.torch_kernel()
                    self.register_buffer(f"l{index}_{name}", packed)
                    self.register_buffer(f"l{index}_{name}_scales", scales_and_zeros)
                else:  # the plan's other layer kind is 8-bit
                    eight_bit = cast(Int8Linear, linear)
                    self.register_buffer(f"l{index}_{name}", eight_bit.weight)
                    self.register_buffer(f"l{index}_{name}_scales", eight_bit._scale_bf16)
            release_freed_memory()  # each layer's packing temporaries, before the next layer's
        self.four_bit = isinstance(fast.layers[0].qkv, Int4Linear)
        self.register_buffer("final_norm", fast.final_norm)
        head = cast(Int8Linear, fast.lm_head)  # `supports` checked the head is 8-bit
        self.register_buffer("head", head.weight)
        self.register_buffer("head_scale", head._scale_bf16)

    def _buffer(self, name: str) -> torch.Tensor:
        return cast(torch.Tensor, getattr(self, name))

    def _int4(self, x: torch.Tensor, index: int, name: str) -> torch.Tensor:
        """One layer product through torch's weight kernel (4-bit or 8-bit, as the plan chose)."""
        weight, scales = getattr(self, f"l{index}_{name}"), getattr(self, f"l{index}_{name}_scales")
        out: torch.Tensor
        if self.four_bit:
            out = torch.ops.aten._weight_int4pack_mm_for_cpu(x.to(torch.bfloat16), weight, GROUP, scales)
        else:
            out = torch.ops.aten._weight_int8pack_mm(x.to(torch.bfloat16), weight, scales)
        return out

    def forward(
        self,
        x: torch.Tensor,  # [1, hidden] float32: the new token's embedding
        cos: torch.Tensor,  # [head_dim]: the rotary table's row for its position
        sin: torch.Tensor,
        keys: torch.Tensor,  # [layers, kv_heads, capacity, head_dim] bfloat16 cache
        values: torch.Tensor,
        past: torch.Tensor,  # [cached, 0]: its length is the number of cached tokens
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        shape = self.shape
        heads, kv_heads, head_dim = shape.heads, shape.kv_heads, shape.head_dim
        group = heads // kv_heads
        rotated = (heads + kv_heads) * head_dim
        scale = head_dim**-0.5
        cached = past.shape[0]
        new_keys, new_values = [], []
        for index in range(shape.layers):
            normed = layer_math.norm(x, self._buffer(f"l{index}_input_norm"), shape.hidden, shape.eps)
            qkv = self._int4(normed, index, "qkv").float()
            qk = layer_math.rotary(qkv[:, :rotated].view(heads + kv_heads, head_dim), cos, sin)
            key, value = qk[heads:], qkv[0, rotated:].view(kv_heads, head_dim)
            new_keys.append(key)
            new_values.append(value)
            q = qk[:heads].view(kv_heads, group, head_dim) * scale
            old_keys = keys[index].narrow(1, 0, cached)[:, None].float()  # [kv, 1, cached, dim]
            scores = torch.cat(
                ((q[:, :, None, :] * old_keys).sum(-1), (q * key[:, None, :]).sum(-1, keepdim=True)), dim=-1
            )
            weights = torch.softmax(scores, dim=-1)
            old_values = values[index].narrow(1, 0, cached)[:, None].float()
            attended = (weights[..., :-1, None] * old_values).sum(-2) + weights[..., -1:] * value[:, None, :]
            x = x + self._int4(attended.reshape(1, heads * head_dim), index, "out")
            x = layer_math.mlp(
                x,
                self._buffer(f"l{index}_post_norm"),
                functools.partial(self._int4, index=index, name="gate_up"),
                functools.partial(self._int4, index=index, name="down"),
                shape.hidden,
                shape.eps,
            )
        hidden = layer_math.norm(x, self._buffer("final_norm"), shape.hidden, shape.eps).to(torch.bfloat16)
        logits = torch.ops.aten._weight_int8pack_mm(hidden, self.head, self.head_scale)[0].float()
        return logits, torch.stack(new_keys), torch.stack(new_values)


def _example_inputs(shape: Shape, capacity: int = 512, cached: int = 16) -> tuple[torch.Tensor, ...]:
    keys = torch.zeros(shape.layers, shape.kv_heads, capacity, shape.head_dim, dtype=KV_DTYPE)
    return (
        torch.zeros(1, shape.hidden),
        torch.zeros(shape.head_dim),
        torch.zeros(shape.head_dim),
        keys,
        torch.zeros_like(keys),
        torch.empty(cached, 0),
    )


def build(fast: FastLlama, path: Path) -> float:
    """Export and compile the step into `path` (atomically, with a checksum beside it);
    returns the seconds it took."""
    from torch.export import Dim, export

    started = time.perf_counter()
    shape = fast.shape
    module = DecodeStep(fast).eval()
    capacity = Dim("capacity", min=16, max=max(shape.context, 32))
    cached = Dim("cached", min=2, max=max(shape.context - 1, 16))
    dynamic = {
        "x": None,
        "cos": None,
        "sin": None,
        "keys": {2: capacity},
        "values": {2: capacity},
        "past": {0: cached},
    }
    with torch.inference_mode():
        program = export(module, _example_inputs(shape), dynamic_shapes=dynamic, strict=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(f".tmp-{os.getpid()}-{path.name}")  # the name must end in .pt2
    try:
        torch._inductor.aoti_compile_and_package(
            program,
            package_path=str(staging),
            inductor_configs={"aot_inductor.package_constants_in_so": False},
        )
        os.replace(staging, path)
    finally:
        staging.unlink(missing_ok=True)
    _write_checksum(path)
    return time.perf_counter() - started


def _checksum_path(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def _write_checksum(path: Path) -> None:
    record = {"size": path.stat().st_size, "crc32": crc32_of(path), "torch": torch.__version__}
    staging = _checksum_path(path).with_suffix(".tmp")
    staging.write_text(json.dumps(record), encoding="utf-8")
    os.replace(staging, _checksum_path(path))


def is_ready(path: Path) -> bool:
    """The package is complete and undamaged (a damaged library could crash the process)."""
    try:
        record = json.loads(_checksum_path(path).read_text(encoding="utf-8"))
        return bool(path.stat().st_size == record["size"] and crc32_of(path) == record["crc32"])
    except (OSError, ValueError, KeyError):
        return False


class PackageRunner:
    """The package's model through torch's C++ loader alone. `torch._inductor.aoti_load_package`
    wraps the same loader but imports all of Inductor to do it (68 MB of a writer's
    process); the step's inputs and outputs are flat tensors, so no pytree is needed."""

    def __init__(self, path: Path) -> None:
        self.loader = torch._C._aoti.AOTIModelPackageLoader(str(path), "model", False, 1, -1)

    def get_constant_fqns(self) -> list[str]:
        fqns: list[str] = self.loader.get_constant_fqns()
        return fqns

    def load_constants(
        self, constants: dict[str, torch.Tensor], *, check_full_update: bool, user_managed: bool
    ) -> None:
        self.loader.load_constants(constants, False, check_full_update, user_managed, False)

    def __call__(self, *inputs: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        logits, keys, values = self.loader.boxed_run(list(inputs))
        return logits, keys, values


class AotiStep:
    """The compiled package as `FastLlama.attach` takes a step: it writes the new token's
    keys and values into the caches, which the package itself never mutates."""

    def __init__(self, runner: Runner) -> None:
        self.runner = runner

    def preferred_threads(self) -> None:
        """The package is built for the engine's thread count and runs with no other."""
        return None

    def __call__(
        self,
        x: torch.Tensor,
        position: int,
        cos: torch.Tensor,
        sin: torch.Tensor,
        keys: torch.Tensor,
        values: torch.Tensor,
    ) -> torch.Tensor:
        logits, new_keys, new_values = self.runner(x, cos, sin, keys, values, torch.empty(position, 0))
        keys[:, :, position] = new_keys
        values[:, :, position] = new_values
        return logits


def load(fast: FastLlama, path: Path, *, check: bool = True) -> AotiStep:
    """The compiled step, running on the decoder's own tensors (no copy of the weights).

    Inductor adds one small constant per int4 product (the group size, a scalar tensor);
    those are supplied here. One step on made-up inputs is then checked against the same
    step run eagerly, so a package that does not fit this decoder is never used (`check`
    is off only for timing the step on the builder's all-zero weights, which it cannot pass).
    """
    runner = PackageRunner(path)
    module = DecodeStep(fast).eval()
    constants = dict(module.named_buffers())
    extra = [name for name in runner.get_constant_fqns() if name not in constants]
    for name in extra:
        constants[name] = torch.tensor(GROUP, dtype=torch.int64)
    runner.load_constants(constants, check_full_update=True, user_managed=True)
    if check:
        _check(runner, module, fast)
    return AotiStep(runner)


def _check(runner: Runner, module: DecodeStep, fast: FastLlama) -> None:
    """The same step eagerly and compiled: they differ only by rounding (fused kernels sum
    in another order), so the outputs must point the same way and pick the same token."""
    generator = torch.Generator().manual_seed(0)
    inputs = list(_example_inputs(module.shape, capacity=32, cached=5))
    inputs[0] = fast.embed.row(torch.tensor([42])).float()
    inputs[1], inputs[2] = torch.ones_like(inputs[1]), torch.zeros_like(inputs[2])
    inputs[3] = (torch.randn(inputs[3].shape, generator=generator) * 0.5).to(KV_DTYPE)
    inputs[4] = (torch.randn(inputs[4].shape, generator=generator) * 0.5).to(KV_DTYPE)
    with torch.inference_mode():
        expected = module(*inputs)
        got = runner(*inputs)
    for want, have in zip(expected, got, strict=True):
        similarity = F.cosine_similarity(want.flatten().float(), have.flatten().float(), dim=0)
        if want.shape != have.shape or similarity < 0.99:
            raise RuntimeError(f"the compiled step does not match the eager step ({similarity:.3f})")
    if int(expected[0].argmax()) != int(got[0].argmax()):
        raise RuntimeError("the compiled step picks another token than the eager step")


# -- building in a separate process ---------------------------------------------------


def layout(fast: FastLlama) -> dict[str, Any]:
    """What the builder process needs to recreate a decoder of the same shape (no weights)."""
    tensors, meta = fast.state()
    return {
        "meta": meta,
        "tensors": {
            name: [list(tensor.shape), str(tensor.dtype).removeprefix("torch.")]
            for name, tensor in tensors.items()
        },
    }


def _decoder_from_layout(data: dict[str, Any]) -> FastLlama:
    tensors = {
        name: torch.zeros(size, dtype=getattr(torch, dtype))
        for name, (size, dtype) in data["tensors"].items()
    }
    return FastLlama.from_state(tensors, data["meta"])


def is_building(path: Path, fresh_s: float = 900.0) -> bool:
    """A builder (of this or another Inkwell process) is at work on `path`: its process,
    named in the pid file beside the package, is alive and started recently. A builder
    that was stopped or killed does not count."""
    marker = path.with_name(path.name + ".pid")
    try:
        if time.time() - marker.stat().st_mtime >= fresh_s:
            return False
        pid = int(marker.read_text(encoding="utf-8").strip())
        os.kill(pid, 0)  # raises when no such process is running
    except (OSError, ValueError):
        return False
    return True


def _forget_build(path: Path) -> None:
    """The files of a build that will not finish (or did): its layout and its pid."""
    for suffix in (".layout.json", ".pid"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def stop_build(builder: subprocess.Popen[bytes], path: Path | None) -> None:
    """Stop a builder this process started, and say so to other processes."""
    if builder.poll() is None:
        builder.terminate()
        try:
            builder.wait(5)
        except subprocess.TimeoutExpired:
            builder.kill()
    if path is not None:
        _forget_build(path)


def start_build(
    fast: FastLlama, path: Path, *, plan_only: bool = False, choose_step: bool = False
) -> subprocess.Popen[bytes]:
    """Compile in a low-priority child process (or only measure the CPU plan, `path` then
    naming the plan's file); with `choose_step`, also time the native and the compiled step
    and cache the faster (engine/fastpath/step_choice.py). The caller polls it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    spec = path.with_name(path.name + ".layout.json")
    spec.write_text(json.dumps(layout(fast)), encoding="utf-8")
    # One compile worker, at low priority; the kernels are built for the app's thread count.
    env = {
        **os.environ,
        "TORCHINDUCTOR_COMPILE_THREADS": "1",
        "INKWELL_STEP_THREADS": str(engine_threads()),
    }
    env.setdefault("TORCHINDUCTOR_CACHE_DIR", str(path.parent / "inductor"))
    with path.with_name(path.name + ".log").open("wb") as report:  # a pipe could fill and stall it
        builder = subprocess.Popen(
            [sys.executable, "-m", "engine.fastpath.compiled_step", str(spec), str(path)]
            + (["--plan-only"] if plan_only else [])
            + (["--choose-step"] if choose_step else []),
            cwd=Path(__file__).resolve().parents[2],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=report,
            stderr=subprocess.STDOUT,
            preexec_fn=(lambda: os.nice(10)) if hasattr(os, "nice") else None,
        )
    path.with_name(path.name + ".pid").write_text(str(builder.pid), encoding="utf-8")
    return builder


def main(argv: list[str]) -> int:
    """`python -m engine.fastpath.compiled_step LAYOUT TARGET [--plan-only|--choose-step]`:
    measure the machine's kernel plan, then compile the step into TARGET (not with
    --plan-only: the native step runs, and only the plan is missing). --choose-step then
    times the native step and the compiled one on the model's shape and caches the faster."""
    from engine.fastpath import native_step, step_choice

    spec, target, plan_only = Path(argv[0]), Path(argv[1]), "--plan-only" in argv[2:]
    choose_step = "--choose-step" in argv[2:]
    torch.set_num_threads(int(os.environ.get("INKWELL_STEP_THREADS", engine_threads())))
    try:
        fast = _decoder_from_layout(json.loads(spec.read_text(encoding="utf-8")))
        # The machine's kernel plan is measured first, alone: a compile beside it would skew it.
        kernels = native_step.load_kernels(target.parent)
        measure = functools.partial(cpu_plan.measure, native=kernels)
        plan = cpu_plan.plan_for(cpu_plan.matrix_shapes(fast), target.parent, measure_with=measure)
        print(f"CPU plan: {plan.describe()}", file=sys.stderr)
        if plan_only:
            return 0
        seconds = 0.0 if choose_step and is_ready(target) else build(fast, target)
        print(f"compiled the decode step in {seconds:.1f} s", file=sys.stderr)
        if choose_step:
            candidates: dict[str, tuple[Step, torch.dtype]] = {}
            if kernels is not None and native_step.supports(fast) is None:
                fast.use_native(kernels)
                candidates["native"] = (native_step.NativeStep(fast, kernels), native_step.KV_DTYPE)
            candidates["compiled"] = (load(fast, target, check=False), KV_DTYPE)  # zero weights: timing only
            rounds = []
            for _round in range(step_choice.ROUNDS):  # A B A B
                timings: dict[str, dict[str, float]] = {}
                for name, (step, kv_dtype) in candidates.items():
                    fast.attach(step, kv_dtype)
                    timings[name] = step_choice.time_step(fast)
                rounds.append(timings)
            choice = step_choice.save(target.parent, step_choice.fastest(rounds))
            print(f"decode step: {choice.describe()} ({step_choice.threads_note()})", file=sys.stderr)
    finally:
        _forget_build(target)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
