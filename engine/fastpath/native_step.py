"""The decode step as one small C library, built for this machine in about a second.

torch's 4-bit kernel reads the weights at about half the memory's speed on a 2-core
machine, and between its products a decode step of this small model is mostly the cost of
launching small operations. `native_step.c` runs the whole step (norms, products, rotary
embedding, attention over the bfloat16 cache, the output matrix) in one call with one
OpenMP team, on the decoder's own 4-bit groups. Measured on a 2-core AVX-512 Xeon: 5.3 ms
a token at 150 tokens of context against 7.5 ms for the AOTInductor step, and 10 ms
against 14 ms at 2,000.

It is compiled with the machine's C compiler (`-O3 -march=native`, the compiler the
AOTInductor step needs anyway), once per source, compiler and CPU, and cached next to the
compiled steps; a machine without a compiler keeps the torch kernels. The library joins
the OpenMP runtime torch has loaded, so the engine thread's core count applies to it.
"""

from __future__ import annotations

import ctypes
import functools
import hashlib
import logging
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, cast

import torch

from engine.fastpath.cpu_info import cpu_model
from engine.fastpath.threads import engine_threads, others_running

if TYPE_CHECKING:
    from engine.fastpath.decoder import FastLlama, Int4Linear, Int8Linear

log = logging.getLogger(__name__)

SOURCE = Path(__file__).with_name("native_step.c")
NO_NATIVE_ENV = "INKWELL_NO_NATIVE"  # set to 1 to keep torch's kernels
FLAGS = ("-O3", "-fopenmp", "-shared", "-fPIC")
MARCH_ENV = "INKWELL_NATIVE_MARCH"  # the -march to build for; tests build "haswell" (AVX2) and "x86-64"
KV_DTYPE = torch.bfloat16  # the step reads and writes its caches in bfloat16

_P = ctypes.c_void_p
_I = ctypes.c_int


def compiler() -> str | None:
    """The C compiler to build with: `$CC`, else `cc` or `gcc` on the PATH."""
    for name in (os.environ.get("CC"), "cc", "gcc"):
        if name and shutil.which(name):
            return name
    return None


def march() -> str:
    """What to build for: this CPU, unless `INKWELL_NATIVE_MARCH` names another target (an
    AVX2 laptop's "haswell", or plain "x86-64" for the portable C loops)."""
    return os.environ.get(MARCH_ENV, "").strip() or "native"


@functools.cache
def _compiler_version(cc: str) -> str:
    """The compiler's first `--version` line, asked once per process, not at every load."""
    try:
        version = subprocess.run([cc, "--version"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return cc
    return version.splitlines()[0] if version else cc


@functools.cache
def source_digest() -> str:
    """A short digest of the C source, for caches of what was measured with it."""
    return hashlib.sha256(SOURCE.read_bytes()).hexdigest()[:8]


def library_name(cc: str, target: str = "native") -> str:
    """The library depends on its source, the compiler, the target and the CPU."""
    identity = "\n".join(
        [
            SOURCE.read_text(encoding="utf-8"),
            _compiler_version(cc),
            cpu_model(),
            " ".join(FLAGS),
            target,
        ]
    )
    digest = hashlib.sha256(identity.encode()).hexdigest()[:16]
    suffix = torch.backends.cpu.get_cpu_capability() if target == "native" else target
    return f"native-step-{digest}-{suffix}.so"


def build(cc: str, path: Path, target: str = "native") -> float:
    """Compile the library into `path` (atomically); returns the seconds it took."""
    started = time.perf_counter()
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, staging = tempfile.mkstemp(prefix=".tmp-", suffix=".so", dir=path.parent)
    os.close(handle)
    try:
        done = subprocess.run(
            [cc, *FLAGS, f"-march={target}", "-o", staging, str(SOURCE), "-lm"],
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode != 0:
            # the compiler's last line, without the paths it names (logs hold no paths)
            last = (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]
            last = re.sub(r"\S*/\S*", "…", last.split("error:", 1)[-1]).strip()
            raise RuntimeError(f"the compiler failed: {last}")
        os.replace(staging, path)
    finally:
        Path(staging).unlink(missing_ok=True)
    return time.perf_counter() - started


class Kernels:
    """The loaded library, with its functions typed."""

    def __init__(self, path: Path) -> None:
        lib = ctypes.CDLL(str(path))
        lib.native_create.restype = _P
        lib.native_create.argtypes = [_I] * 7 + [ctypes.c_float, _I]
        lib.native_set_layer.argtypes = [_P, _I] + [_P] * 11  # type: ignore[assignment]  # mypy joins the two
        lib.native_set_head.argtypes = [_P] * 4
        lib.native_free.argtypes = [_P]
        lib.native_step.restype = _I
        lib.native_step.argtypes = [_P, _P, _I, _P, _P, _P, _P, _I, _P, _I]
        lib.native_matmul_q4.argtypes = [_P, _P, _I, _I, _P, _I, _P]
        lib.native_matmul_q4_int8.restype = _I
        lib.native_matmul_q4_int8.argtypes = [_P, _P, _I, _I, _P, _I, _P]
        self.lib = lib
        self.path = path

    def matmul_q4(self, codes: torch.Tensor, scales: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
        """x [n, cols] float32 times a 4-bit matrix (codes [rows, cols/2], scales [rows, groups, 2])."""
        x = x.float().contiguous()
        rows, cols = codes.shape[0], codes.shape[1] * 2
        out = torch.empty(*x.shape[:-1], rows)
        count = x.numel() // cols
        self.lib.native_matmul_q4(
            codes.data_ptr(), scales.data_ptr(), rows, cols, x.data_ptr(), count, out.data_ptr()
        )
        return out

    def matmul_q4_int8(
        self, codes: torch.Tensor, scales: torch.Tensor, x: torch.Tensor
    ) -> torch.Tensor | None:
        """The same product for a prompt's many rows, with the activations rounded to int8
        per group of 32 (integer tiles, about twice float32's speed on AVX-512 VNNI); None
        where this build has no such tiles."""
        x = x.float().contiguous()
        rows, cols = codes.shape[0], codes.shape[1] * 2
        out = torch.empty(*x.shape[:-1], rows)
        count = x.numel() // cols
        done = self.lib.native_matmul_q4_int8(
            codes.data_ptr(), scales.data_ptr(), rows, cols, x.data_ptr(), count, out.data_ptr()
        )
        return out if done else None


def load_kernels(directory: Path) -> Kernels | None:
    """This machine's library, built first when missing; None (and why, in the log) when it
    cannot be had: no compiler, a failed build, `INKWELL_NO_NATIVE=1`."""
    if os.environ.get(NO_NATIVE_ENV) == "1":
        return None
    cc = compiler()
    if cc is None:
        log.info("No C compiler found; the decode step runs on torch's kernels.")
        return None
    target = march()
    path = directory / library_name(cc, target)
    try:
        if not path.is_file():
            seconds = build(cc, path, target)
            log.info("Built the native decode step in %.1f s.", seconds)
        return Kernels(path)
    except RuntimeError as exc:
        log.warning("The native decode step could not be built (%s); torch's kernels stay.", exc)
    except (OSError, subprocess.SubprocessError) as exc:  # their messages name paths
        log.warning(
            "The native decode step could not be built (%s); torch's kernels stay.", type(exc).__name__
        )
    return None


def supports(fast: object) -> str | None:
    """None when the native step can run this decoder, else why not."""
    from engine.fastpath.decoder import Int4Linear, Int8Linear

    layers = fast.layers  # type: ignore[attr-defined]
    linears = [linear for layer in layers for linear in (layer.qkv, layer.out, layer.gate_up, layer.down)]
    if not all(isinstance(linear, Int4Linear) for linear in linears):
        return "the layers are not all 4-bit"
    if not isinstance(fast.lm_head, Int8Linear):  # type: ignore[attr-defined]
        return "the output matrix is not int8"
    shape = fast.shape  # type: ignore[attr-defined]
    if shape.head_dim % 8 or shape.heads % shape.kv_heads or shape.heads // shape.kv_heads > 16:
        return "its attention heads have an unusual shape"
    return None


class ThreadChooser:
    """How many cores the step computes with: the engine's count while that is fastest,
    fewer while other programs keep cores busy.

    A team waits at every barrier for its slowest member; when a browser holds one of two
    cores, the member that shares it runs in time slices, and a two-thread step was
    measured 5 times slower (166 → 34 tokens/s) where one thread loses only half. So now and
    then a step runs with the other count (every `EXPLORE`-th while the full count runs,
    every `EXPLORE_BACK`-th while fewer do; at once after a step `SURPRISE` times slower
    than usual; and at the `FIRST_LOOK`-th step after a hint), each count keeps an estimate
    of its step time, and the faster one runs the rest. `hint` is told, as each prompt is
    read, whether other programs are running; a change starts the estimates afresh, from
    the count that suits."""

    EXPLORE = 64  # with the full count running: trying fewer costs ~1% of a quiet machine's speed
    EXPLORE_BACK = 16  # with fewer running: the machine may have calmed down
    FIRST_LOOK = 4  # the other count's first try, a few steps after a start or a change
    SURPRISE = 1.6  # a step this much slower than its count's average: look at the other now
    QUIET_AFTER_LOOK = 8  # steps between two looks caused by surprises
    WEIGHT = 0.25

    def __init__(self, threads: int) -> None:
        self.options = [threads, 1] if threads > 1 else [1]
        self.seconds: dict[int, float] = {}
        self.preferred = self.options[0]
        self._steps = 0
        self._last_look = 0
        self._exploring = False
        self._surprised_by: int | None = None  # the count whose last step was far slower than usual

    @property
    def best(self) -> int:
        """The count that has been fastest lately (the preferred one until both are timed)."""
        return min(self.options, key=lambda n: (self.seconds.get(n, float("inf")), n != self.preferred))

    def hint(self, others_running: float | None) -> None:
        """Other programs' running threads, seen as a prompt is read: one or more busy cores
        make fewer threads the likely winner, none the full count."""
        if others_running is None or len(self.options) == 1:
            return
        preferred = self.options[1] if others_running >= 0.5 else self.options[0]
        if preferred != self.best:  # the machine changed since the estimates were made
            self.preferred, self.seconds, self._steps, self._last_look = preferred, {}, 0, 0

    def next(self) -> int:
        self._steps += 1
        best = self.best
        every = self.EXPLORE if best == self.options[0] else self.EXPLORE_BACK
        self._exploring = len(self.options) > 1 and (
            self._surprised_by == best or self._steps == self.FIRST_LOOK or self._steps % every == 0
        )
        self._surprised_by = None
        if self._exploring:
            self._last_look = self._steps
        return next(n for n in self.options if n != best) if self._exploring else best

    def record(self, threads: int, seconds: float) -> None:
        """A tried count's time replaces its old estimate (the machine may have calmed down
        since); the running count's time joins its moving average, and a step far slower
        than that average makes the next step look at the other count."""
        old = self.seconds.get(threads)
        fresh = old is None or self._exploring
        if (
            not fresh
            and old is not None
            and seconds > self.SURPRISE * old
            and self._steps - self._last_look >= self.QUIET_AFTER_LOOK
        ):
            self._surprised_by = threads
        self.seconds[threads] = seconds if fresh or old is None else old + self.WEIGHT * (seconds - old)


class NativeStep:
    def __init__(self, fast: FastLlama, kernels: Kernels) -> None:
        """`fast` has 4-bit layers and an 8-bit head (`supports` says so before this runs)."""
        shape = fast.shape
        layers = fast.layers
        self.kernels, self.vocab = kernels, shape.vocab
        self.threads = ThreadChooser(engine_threads())
        ffn = cast("Int4Linear", layers[0].down).codes.shape[1] * 2
        lib = kernels.lib
        self._handle = lib.native_create(
            shape.layers,
            shape.hidden,
            shape.heads,
            shape.kv_heads,
            shape.head_dim,
            ffn,
            shape.vocab,
            shape.eps,
            shape.context,
        )
        if not self._handle:
            raise MemoryError("no memory for the native decode step")
        for index, layer in enumerate(layers):
            pointers = [
                tensor.data_ptr()
                for linear in cast("list[Int4Linear]", [layer.qkv, layer.out, layer.gate_up, layer.down])
                for tensor in (linear.codes, linear.scales)
            ]
            bias = None if layer.qkv_bias is None else layer.qkv_bias.data_ptr()
            lib.native_set_layer(
                self._handle, index, layer.input_norm.data_ptr(), layer.post_norm.data_ptr(), *pointers, bias
            )
        head = cast("Int8Linear", fast.lm_head)
        lib.native_set_head(
            self._handle,
            fast.final_norm.data_ptr(),
            head.weight.data_ptr(),
            head.scale.data_ptr(),
        )

    def preferred_threads(self) -> int:
        """The core count to read a prompt with, and to start decoding with: asked as each
        prompt starts, it first looks whether other programs are running right now."""
        self.threads.hint(others_running())
        return self.threads.best

    def __call__(
        self,
        embedding: torch.Tensor,
        position: int,
        cos: torch.Tensor,
        sin: torch.Tensor,
        keys: torch.Tensor,
        values: torch.Tensor,
    ) -> torch.Tensor:
        """The logits after one token; its keys and values go into the caches at `position`."""
        if (
            keys.dtype != KV_DTYPE
            or values.dtype != KV_DTYPE
            or not (keys.is_contiguous() and values.is_contiguous())
        ):
            raise ValueError("the native step needs contiguous bfloat16 caches")
        logits = torch.empty(self.vocab)
        threads = self.threads.next()
        started = time.perf_counter()
        status = self.kernels.lib.native_step(
            self._handle,
            embedding.contiguous().data_ptr(),
            position,
            cos.contiguous().data_ptr(),
            sin.contiguous().data_ptr(),
            keys.data_ptr(),
            values.data_ptr(),
            keys.shape[2],
            logits.data_ptr(),
            threads,
        )
        self.threads.record(threads, time.perf_counter() - started)
        if status != 0:
            raise RuntimeError("the native decode step refused its inputs")
        return logits

    def __del__(self) -> None:
        handle, self._handle = getattr(self, "_handle", None), None
        if handle:
            self.kernels.lib.native_free(handle)


def check(fast: object, step: NativeStep) -> None:
    """One step on a short made-up context, natively and eagerly (the same products, torch's
    attention and norms): the logits must point the same way and pick the same token, so a
    library that does not fit this decoder is never used."""
    generator = torch.Generator().manual_seed(0)
    shape = fast.shape  # type: ignore[attr-defined]
    keys = (torch.randn(shape.layers, shape.kv_heads, 32, shape.head_dim, generator=generator) * 0.5).to(
        KV_DTYPE
    )
    values = (torch.randn(keys.shape, generator=generator) * 0.5).to(KV_DTYPE)
    saved = fast._k, fast._v, fast.kv_dtype, list(fast.cached)  # type: ignore[attr-defined]
    try:
        fast._k, fast._v, fast.kv_dtype = keys.clone(), values.clone(), KV_DTYPE  # type: ignore[attr-defined]
        expected = fast._decode_one(42, 5)  # type: ignore[attr-defined]
        embedding = fast.embed.row(torch.tensor([42])).float()  # type: ignore[attr-defined]
        got = step(embedding, 5, fast._cos[5], fast._sin[5], keys, values)  # type: ignore[attr-defined]
    finally:
        fast._k, fast._v, fast.kv_dtype, fast.cached = saved  # type: ignore[attr-defined]
    similarity = torch.nn.functional.cosine_similarity(expected, got, dim=0).item()
    if similarity < 0.999 or int(expected.argmax()) != int(got.argmax()):
        raise RuntimeError(f"the native step does not match the eager step ({similarity:.4f})")
