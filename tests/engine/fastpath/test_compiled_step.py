"""The compiled decode step: built in the background, taken up between jobs, the same
network as the eager step, and never used when its package is damaged."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import torch

from engine.factory import create_local_engine
from engine.fastpath import compiled_step, native_step
from engine.jobs import Request
from engine.models.spec import ModelSpec
from tests.conftest import PARAGRAPH, collect, run_async
from tests.standard_prompts import OPERATIONS, source_for

pytestmark = pytest.mark.model
HELDOUT = Path(__file__).resolve().parents[3] / "benchmarks" / "data" / "heldout.txt"


@pytest.fixture(autouse=True)
def _without_native_step(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests are about the AOTInductor step, which runs where the native one cannot."""
    monkeypatch.setenv(native_step.NO_NATIVE_ENV, "1")


@pytest.fixture(scope="session")
def compiled_engine(cache_dir: Path, bundled_engine):
    """The app's way where the native step cannot run: load eagerly, build the step in a
    child process, take it up after."""
    engine = create_local_engine(cache_dir=cache_dir, compile_step="build").start()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(native_step.NO_NATIVE_ENV, "1")
        engine.load(ModelSpec.bundled()).result(timeout=300)
    backend = engine._backend
    assert not backend.compiled  # nothing cached yet: the eager step runs meanwhile
    _deltas, eager = run_async(collect(engine, Request("proofread", PARAGRAPH, max_new_tokens=24)))
    assert eager.text.strip()
    assert engine.submit(lambda: backend.wait_for_compiled(600)).result(timeout=700), cache_dir / "compiled"
    yield engine
    assert engine.close(timeout=30)


def test_the_package_is_cached_by_shape_with_a_checksum(compiled_engine, cache_dir: Path) -> None:
    fast = compiled_engine._backend.loaded.fast
    package = cache_dir / "compiled" / compiled_step.package_name(fast.shape)
    assert compiled_step.is_ready(package)
    assert package.stat().st_size < 20 * 2**20  # the weights are not in it: they are shared
    # a second engine takes it up at load, with no build
    engine = create_local_engine(cache_dir=cache_dir, compile_step="use").start()
    try:
        engine.load(ModelSpec.bundled()).result(timeout=300)
        assert not engine._backend.compiled  # ready first; the step is attached right after
        engine.submit(lambda: None).result(timeout=60)
        assert engine._backend.compiled
        assert engine._backend.steps.builder is None
    finally:
        engine.close()


def test_compiled_and_eager_steps_agree_token_by_token(compiled_engine, loaded) -> None:
    """Teacher-forced over the standard prompts: the same next token nearly everywhere, and
    logits that point the same way at every step."""
    fast = compiled_engine._backend.loaded.fast

    def compare() -> tuple[int, int, float]:
        agree = total = 0
        worst = 1.0
        for operation, _extra in OPERATIONS:
            chat = loaded.tokenizer.apply_chat_template(
                [{"role": "user", "content": source_for(operation)}],
                add_generation_prompt=True,
                tokenize=False,
            )
            ids = loaded.tokenizer(chat, add_special_tokens=False).input_ids
            answer = loaded.tokenizer(source_for(operation), add_special_tokens=False).input_ids[:24]
            for compiled in (True, False):
                fast.forget()
                logits = fast.run(ids)
                steps = []
                for token in answer:
                    steps.append(logits)
                    logits = fast.step(token) if compiled else eager_step(fast, token)
                if compiled:
                    first = steps
            for a, b in zip(first, steps, strict=True):
                total += 1
                agree += int(a.argmax()) == int(b.argmax())
                worst = min(worst, torch.nn.functional.cosine_similarity(a, b, dim=0).item())
        fast.forget()
        return agree, total, worst

    agree, total, worst = compiled_engine.submit(compare).result(timeout=600)
    assert agree / total >= 0.95, (agree, total)
    assert worst > 0.99


def eager_step(fast, token: int) -> torch.Tensor:
    logits = fast._decode_one(token, len(fast.cached))
    fast.cached.append(token)
    return logits


def perplexity(rows: torch.Tensor, targets: list[int]) -> float:
    """`rows[i]` are the logits that predict `targets[i]`."""
    log_probs = torch.log_softmax(rows.float(), dim=-1)
    return math.exp(-log_probs[torch.arange(len(targets)), torch.tensor(targets)].mean().item())


def test_the_compiled_step_keeps_perplexity_within_three_percent(compiled_engine, loaded) -> None:
    """Decoding held-out prose one token at a time through the compiled step (bfloat16 keys
    and values) against `transformers` in float32."""
    ids = loaded.tokenizer(HELDOUT.read_text(encoding="utf-8"), add_special_tokens=False).input_ids[:400]
    fast = compiled_engine._backend.loaded.fast

    def both() -> tuple[float, float]:
        with torch.inference_mode():
            exact = perplexity(loaded.model(torch.tensor([ids])).logits[0, 7:-1], ids[8:])
            fast.forget()
            rows = [fast.run(ids[:8])]
            rows += [fast.step(token) for token in ids[8:-1]]
        fast.forget()
        return exact, perplexity(torch.stack(rows), ids[8:])

    exact, quick = compiled_engine.submit(both).result(timeout=600)
    assert quick / exact < 1.03, (exact, quick)


@pytest.mark.parametrize(("operation", "extra"), OPERATIONS)
def test_compiled_output_is_clean(compiled_engine, operation: str, extra: dict) -> None:
    _deltas, result = run_async(
        collect(compiled_engine, Request(operation, source_for(operation), max_new_tokens=80, **extra))
    )
    assert result.text.strip()
    assert "<|" not in result.text and not result.text.lower().startswith(("sure", "here is"))


def test_a_damaged_package_is_never_loaded(compiled_engine, cache_dir: Path, tmp_path: Path) -> None:
    fast = compiled_engine._backend.loaded.fast
    package = cache_dir / "compiled" / compiled_step.package_name(fast.shape)
    copy = tmp_path / package.name
    copy.write_bytes(package.read_bytes())
    (tmp_path / (package.name + ".json")).write_bytes(
        (package.parent / (package.name + ".json")).read_bytes()
    )
    assert compiled_step.is_ready(copy)
    data = bytearray(copy.read_bytes())
    data[len(data) // 2] ^= 0xFF
    copy.write_bytes(bytes(data))
    assert not compiled_step.is_ready(copy)
    (tmp_path / (package.name + ".json")).unlink()
    assert not compiled_step.is_ready(copy)


def test_it_can_be_turned_off(cache_dir: Path, compiled_engine, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = compiled_engine._backend.loaded.fast
    monkeypatch.setenv(compiled_step.NO_COMPILE_ENV, "1")
    assert compiled_step.supports(fast) == "INKWELL_NO_COMPILE=1"
    engine = create_local_engine(cache_dir=cache_dir, compile_step="use").start()
    try:
        engine.load(ModelSpec.bundled()).result(timeout=300)
        engine.submit(lambda: None).result(timeout=60)
        assert not engine._backend.compiled
    finally:
        engine.close()


def test_a_detached_build_outlives_the_run_that_started_it(
    fast_engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CLI's way: the build is started once and left running when the run ends, so
    the next run finds the step ready."""
    import subprocess
    import sys

    from engine.backends.local import LocalBackend
    from engine.models.cache import ConvertedModelCache
    from engine.models.loader import ModelLoader
    from engine.prompting.templates import Catalog

    started: list[subprocess.Popen] = []

    def fake_build(fast, path: Path) -> subprocess.Popen:
        path.parent.mkdir(parents=True, exist_ok=True)
        started.append(subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"]))
        path.with_name(path.name + ".pid").write_text(str(started[-1].pid), encoding="utf-8")
        return started[-1]

    monkeypatch.setattr(compiled_step, "start_build", fake_build)
    monkeypatch.delenv(compiled_step.NO_COMPILE_ENV, raising=False)
    fast = fast_engine._backend.loaded.fast
    for _run in range(2):  # the second run finds the first one's build at work
        backend = LocalBackend(
            ModelLoader(ConvertedModelCache(tmp_path)), Catalog.default(), compile_step="detach"
        )
        backend.steps.prepare(fast)
        assert backend.preparing
        backend.close()
    package = tmp_path / "compiled" / compiled_step.package_name(fast.shape, layers=fast.kinds[0])
    try:
        assert len(started) == 1 and started[0].poll() is None  # still running after close()
        assert compiled_step.is_building(package)
    finally:
        started[0].kill()
        started[0].wait()
    assert not compiled_step.is_building(package)  # a killed builder is not waited for


def test_a_stopped_build_leaves_nothing_that_looks_at_work(tmp_path: Path) -> None:
    import subprocess
    import sys

    package = tmp_path / "step.pt2"
    builder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    package.with_name(package.name + ".pid").write_text(str(builder.pid), encoding="utf-8")
    package.with_name(package.name + ".layout.json").write_text("{}", encoding="utf-8")
    assert compiled_step.is_building(package)
    compiled_step.stop_build(builder, package)
    assert builder.poll() is not None and not compiled_step.is_building(package)
    assert list(tmp_path.iterdir()) == []
