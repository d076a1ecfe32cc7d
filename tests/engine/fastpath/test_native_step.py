"""The native decode step: built once per source, compiler and CPU; the same network as
`transformers` in float32 (within 4-bit rounding) and as the eager step; never used when
it cannot be built or does not fit."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import torch

from engine.factory import create_local_engine
from engine.fastpath import native_step
from engine.fastpath.decoder import FastLlama, Int4Linear
from engine.models.spec import ModelSpec
from tests.engine.fastpath.test_compiled_step import perplexity

HELDOUT = Path(__file__).resolve().parents[3] / "benchmarks" / "data" / "heldout.txt"


def test_the_library_is_built_once_and_named_by_its_source(tmp_path: Path, monkeypatch) -> None:
    kernels = native_step.load_kernels(tmp_path)
    assert kernels is not None
    built = kernels.path.stat().st_mtime_ns
    assert native_step.load_kernels(tmp_path).path == kernels.path
    assert kernels.path.stat().st_mtime_ns == built  # found, not built again
    changed = tmp_path / "native_step.c"
    changed.write_text(native_step.SOURCE.read_text(encoding="utf-8") + "\n/* changed */\n", encoding="utf-8")
    monkeypatch.setattr(native_step, "SOURCE", changed)
    assert native_step.library_name("cc") != kernels.path.name  # a new source builds anew


def test_without_a_compiler_or_with_a_broken_source_torch_kernels_stay(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv(native_step.NO_NATIVE_ENV, "1")
    assert native_step.load_kernels(tmp_path) is None
    monkeypatch.delenv(native_step.NO_NATIVE_ENV)
    monkeypatch.setenv("CC", "no-such-compiler")
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert native_step.compiler() is None
    assert native_step.load_kernels(tmp_path) is None
    monkeypatch.undo()
    broken = tmp_path / "broken.c"
    broken.write_text("this is not C;\n", encoding="utf-8")
    monkeypatch.setattr(native_step, "SOURCE", broken)
    with caplog.at_level("WARNING"):
        assert native_step.load_kernels(tmp_path / "out") is None
    assert "could not be built" in caplog.text
    assert not list((tmp_path / "out").glob("*.so"))  # no half-written library is left


def test_the_app_decodes_through_it_unless_the_compiled_step_was_timed_faster(fast_engine) -> None:
    """The native step is attached at load; a compiled one replaces it only where the
    background timing (engine/fastpath/step_choice.py) found it faster on this machine."""
    from engine.fastpath.compiled_step import AotiStep

    backend = fast_engine._backend
    assert backend.compiled
    choice = backend.steps.choice
    timed_faster = choice is not None and choice.step == "compiled"
    step = backend.loaded.fast._compiled
    if timed_faster:  # taken up between jobs once the timing is done, or at the next load
        assert isinstance(step, (AotiStep, native_step.NativeStep))
    else:
        assert isinstance(step, native_step.NativeStep)


@pytest.mark.model
def test_token_by_token_it_computes_what_transformers_computes(loaded, native_kernels) -> None:
    """Teacher-forced over 400 tokens of held-out prose (attention crosses several of the
    step's 128-token chunks): every step's logits point the way float32's do, nearly every
    next token is the same, and perplexity stays within 1%."""
    ids = loaded.tokenizer(HELDOUT.read_text(encoding="utf-8"), add_special_tokens=False).input_ids[:400]
    fast = FastLlama.from_model(loaded.model, layers="int4", head="int8")
    fast.use_native(native_kernels)
    fast.attach(native_step.NativeStep(fast, native_kernels), native_step.KV_DTYPE)
    with torch.inference_mode():
        exact = loaded.model(torch.tensor([ids])).logits[0, 7:-1].float()
        rows = [fast.run(ids[:8])] + [fast.step(token) for token in ids[8:-1]]
    native = torch.stack(rows)
    similarity = torch.nn.functional.cosine_similarity(exact, native, dim=-1)
    assert similarity.min() > 0.98, similarity.min()
    agree = (exact.argmax(-1) == native.argmax(-1)).float().mean().item()
    assert agree > 0.9, agree
    ratio = perplexity(native, ids[8:]) / perplexity(exact, ids[8:])
    assert abs(ratio - 1) < 0.01, ratio


@pytest.mark.model
def test_it_matches_the_eager_step_and_writes_the_same_cache(loaded, native_kernels) -> None:
    """The eager step with the same products (`use_native`) and torch's attention: the same
    keys and values in the cache and logits that agree far more closely than 4-bit rounding."""
    ids = loaded.tokenizer(HELDOUT.read_text(encoding="utf-8"), add_special_tokens=False).input_ids[:300]
    fast = FastLlama.from_model(loaded.model, layers="int4", head="int8")
    fast.use_native(native_kernels)
    step = native_step.NativeStep(fast, native_kernels)
    fast.attach(step, native_step.KV_DTYPE)
    with torch.inference_mode():
        fast.run(ids[:-1])
        position = len(ids) - 1
        native = fast.step(ids[-1])
        keys, values = fast._k[:, :, position].clone(), fast._v[:, :, position].clone()
        fast.truncate(position)
        eager = fast.step(ids[-1], eager=True)
    assert torch.nn.functional.cosine_similarity(native, eager, dim=0) > 0.9999
    assert int(native.argmax()) == int(eager.argmax())
    assert torch.allclose(fast._k[:, :, position].float(), keys.float(), rtol=1e-2, atol=1e-2)
    assert torch.allclose(fast._v[:, :, position].float(), values.float(), rtol=1e-2, atol=1e-2)


@pytest.mark.model
def test_a_library_that_does_not_fit_is_never_used(
    cache_dir: Path, native_kernels, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The load-time check compares one step with the eager one; a library that computes
    something else (here: a step that returns noise) leaves torch's kernels in place."""

    class Wrong(native_step.NativeStep):
        def __call__(self, embedding, position, cos, sin, keys, values):  # type: ignore[override]
            return torch.randn(self.vocab)

    monkeypatch.setattr(native_step, "NativeStep", Wrong)
    monkeypatch.setenv("INKWELL_NO_COMPILE", "1")
    engine = create_local_engine(cache_dir=cache_dir, precision="fast").start()
    try:
        engine.load(ModelSpec.bundled()).result(timeout=300)
        backend = engine._backend
        assert not backend.compiled
        linear = backend.loaded.fast.layers[0].qkv
        assert linear.native is None  # the products went back to torch's kernel too
    finally:
        engine.close()


@pytest.mark.model
@pytest.mark.parametrize("target", ["haswell", "x86-64"], ids=["avx2", "portable"])
def test_the_builds_for_other_cpus_compute_the_same(
    loaded, target: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The AVX2 code a laptop without AVX-512 runs, and the plain C loops any other CPU
    runs, built here for those targets: each matches the eager step with its own products,
    and the AVX2 build gives the same logits as this machine's own build within rounding."""
    monkeypatch.setenv(native_step.MARCH_ENV, target)
    kernels = native_step.load_kernels(tmp_path)
    assert kernels is not None and kernels.path.name.endswith(f"-{target}.so")
    ids = loaded.tokenizer(HELDOUT.read_text(encoding="utf-8"), add_special_tokens=False).input_ids[:200]
    fast = FastLlama.from_model(loaded.model, layers="int4", head="int8")
    fast.use_native(kernels)
    fast.attach(native_step.NativeStep(fast, kernels), native_step.KV_DTYPE)
    with torch.inference_mode():
        fast.run(ids[:-1])
        native = fast.step(ids[-1])
        fast.truncate(len(ids) - 1)
        eager = fast.step(ids[-1], eager=True)
    assert torch.nn.functional.cosine_similarity(native, eager, dim=0) > 0.9999
    assert int(native.argmax()) == int(eager.argmax())


def test_fewer_threads_run_while_other_programs_keep_the_cores_busy() -> None:
    """Two threads while they are faster; one once a busy core makes the team wait at its
    barriers (the step times are those measured on the 2-core Xeon, quiet and busy); and
    back to two when the machine is quiet again."""
    chooser = native_step.ThreadChooser(2)

    def run(seconds: dict[int, float], steps: int) -> list[int]:
        used = []
        for _ in range(steps):
            threads = chooser.next()
            chooser.record(threads, seconds[threads])
            used.append(threads)
        return used

    quiet = run({2: 0.0055, 1: 0.0095}, 256)
    assert quiet.count(2) >= 250 and 1 in quiet  # the other count is still tried now and then
    busy = run({2: 0.029, 1: 0.011}, 256)
    assert busy[-128:].count(1) >= 120 and chooser.best == 1  # a prompt is read with one core too
    calm = run({2: 0.0055, 1: 0.0095}, 64)
    assert calm[-32:].count(2) >= 30
    assert chooser.best == 2
    assert native_step.ThreadChooser(1).options == [1]


def test_a_prompt_that_finds_other_programs_running_starts_with_fewer_threads() -> None:
    """Before a prompt is read the chooser hears whether other programs are running; a
    change of the machine's state starts its estimates afresh from the count that suits,
    and a step far slower than usual makes it look at the other count at once."""
    chooser = native_step.ThreadChooser(2)
    chooser.seconds = {2: 0.0055, 1: 0.0095}  # timed on a quiet machine
    chooser.hint(0.0)
    assert chooser.best == 2 and chooser.seconds  # nothing changed: the estimates stay
    chooser.hint(1.0)  # a browser keeps one core busy
    assert chooser.best == 1 and chooser.seconds == {}
    used = [chooser.next() for _ in range(chooser.FIRST_LOOK)]
    assert used == [1, 1, 1, 2]  # the other count is tried within a few steps
    chooser.hint(None)  # nothing known: no change
    assert chooser.best == 1
    chooser.hint(0.0)
    assert chooser.best == 2

    surprised = native_step.ThreadChooser(2)
    for _ in range(20):  # quiet, then the other program starts in the middle of an answer
        surprised.record(surprised.next(), 0.0055)
    threads = surprised.next()
    surprised.record(threads, 0.030)
    assert threads == 2 and surprised.next() == 1  # looked at one thread right away
    assert native_step.ThreadChooser(1).next() == 1


@pytest.mark.parametrize("target", ["native", "haswell", "x86-64"], ids=["here", "avx2", "portable"])
def test_the_one_row_products_equal_the_float_product_of_the_rounded_row(
    target: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The decode step's products (fetching ahead, two rows at a time, the row's scales in
    vectors: 2026-12-07) equal the float product with the row rounded to int16 per group
    of 32, for odd row counts and rows of 3, 18 and 48 groups (the vector loops' ragged
    ends)."""
    monkeypatch.setenv(native_step.MARCH_ENV, target)
    kernels = native_step.load_kernels(tmp_path)
    assert kernels is not None
    generator = torch.Generator().manual_seed(5)
    for rows, cols in ((7, 96), (961, 576), (64, 1536)):
        linear = Int4Linear(torch.randn(rows, cols, generator=generator) * 0.02)
        dense = linear.dense(torch.float32)
        x = torch.randn(1, cols, generator=generator) * 3
        got = kernels.matmul_q4(linear.codes, linear.scales, x)
        groups = x.view(1, -1, 32)
        step = groups.abs().amax(-1, keepdim=True) / 32767
        rounded = (torch.round(groups / step) * step).view(1, cols)
        expected = rounded @ dense.T
        assert got.shape == (1, rows)
        assert torch.allclose(got, expected, rtol=1e-4, atol=1e-4 * expected.abs().max().item()), (rows, cols)


@pytest.mark.parametrize("target", ["native", "haswell", "x86-64"], ids=["this-cpu", "avx2", "portable"])
def test_the_int8_tiles_compute_the_product_of_the_rounded_activations(
    target: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A prompt's products through the int8 tiles equal, to float rounding, the float product
    with the activations rounded to int8 per group of 32, for any row count (whole tiles and
    a ragged end); the portable build has no tiles and says so (the caller then computes
    in floats)."""
    monkeypatch.setenv(native_step.MARCH_ENV, target)
    kernels = native_step.load_kernels(tmp_path)
    assert kernels is not None
    generator = torch.Generator().manual_seed(3)
    linear = Int4Linear(torch.randn(96, 128, generator=generator) * 0.02)
    dense = linear.dense(torch.float32)
    for rows in (1, 8, 13, 200):
        x = torch.randn(rows, 128, generator=generator) * 3
        got = kernels.matmul_q4_int8(linear.codes, linear.scales, x)
        if target == "x86-64":
            assert got is None
            continue
        groups = x.view(rows, -1, 32)
        step = groups.abs().amax(-1, keepdim=True) / 127
        rounded = (torch.round(groups / step) * step).view(rows, 128)
        expected = rounded @ dense.T
        assert got is not None and got.shape == (rows, 96)
        assert torch.allclose(got, expected, rtol=1e-4, atol=1e-4 * expected.abs().max().item())
        # and the rounding itself is small: within 1.5% of the unrounded product
        exact = x @ dense.T
        assert ((got - exact).norm() / exact.norm()).item() < 0.015
    if target != "x86-64":  # rows that do not fill whole blocks of weight rows: not by tiles
        odd = Int4Linear(torch.randn(36, 128, generator=generator))
        assert kernels.matmul_q4_int8(odd.codes, odd.scales, torch.randn(8, 128)) is None


@pytest.mark.model
def test_an_int8_prefill_sends_only_the_products_that_take_the_rounding_well_to_the_tiles(
    loaded, native_kernels, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Out and gate/up go through the int8 tiles; q/k/v (attention scores) and down (SiLU's
    outliers) stay float32, which is what keeps perplexity at 1.001 instead of 1.006."""
    fast = FastLlama.from_model(loaded.model, layers="int4", head="int8")
    fast.use_native(native_kernels)
    fast.set_prefill("int8")
    shapes: list[tuple[int, int]] = []
    real = native_kernels.matmul_q4_int8

    def counting(codes, scales, x):
        shapes.append((codes.shape[0], codes.shape[1] * 2))
        return real(codes, scales, x)

    monkeypatch.setattr(native_kernels, "matmul_q4_int8", counting)
    ids = loaded.tokenizer(HELDOUT.read_text(encoding="utf-8"), add_special_tokens=False).input_ids[:64]
    with torch.inference_mode():
        logits = fast.forward(ids, 0)
    layers = len(fast.layers)
    # the last layer reads only the last row after its q/k/v product: fewer rows than a prefill needs
    assert sorted(set(shapes)) == [(576, 576), (3072, 576)]
    assert len(shapes) == 2 * (layers - 1)
    fast.set_prefill("exact")
    fast.forget()
    with torch.inference_mode():
        exact = fast.forward(ids, 0)
    assert torch.nn.functional.cosine_similarity(logits, exact, dim=0) > 0.999
