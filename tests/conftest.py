"""Shared fixtures: one converted-model cache and one loaded bundled model per session.

The first load converts the GGUF (about 15 s) into a cache folder made for this test
session; every later load in the session, the CLI's subprocesses included, reads that
cache, which is also what the cache tests check.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from engine.fastpath import threads
from tests.standard_prompts import PARAGRAPH

__all__ = ["PARAGRAPH", "collect", "run_async"]

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("TQDM_DISABLE", "1")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# One kernel plan for the whole session, whatever the machine would measure: answers and
# memory figures must not change when a background build caches this machine's plan
# midway (tests/engine/test_cpu_plan.py measures and forces plans on purpose).
os.environ.setdefault("INKWELL_CPU_PLAN", "decode=int4,prefill=quantized")
# As in the app: only engine threads compute in parallel (engine/fastpath/threads.py); reference
# computations on the test's own thread run on one core.
threads.configure_process()
# Never read or write the developer's own settings, prompts or recovery copies.
os.environ["INKWELL_CONFIG_DIR"] = tempfile.mkdtemp(prefix="inkwell-test-config-")
os.environ["INKWELL_DATA_DIR"] = tempfile.mkdtemp(prefix="inkwell-test-data-")


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("inkwell-cache")
    os.environ["INKWELL_CACHE_DIR"] = str(path)  # for CLI subprocesses
    return path


@pytest.fixture(scope="session")
def bundled_engine(cache_dir: Path) -> Iterator[object]:
    """An engine thread with the bundled model loaded exactly (converted on this first load)."""
    from engine.factory import create_local_engine
    from engine.models.spec import ModelSpec

    engine = create_local_engine(cache_dir=cache_dir, precision="exact").start()
    engine.first_load_steps = []  # what a progress bar heard (tests/engine/models/test_progress.py)
    loading = engine.load(ModelSpec.bundled(), engine.first_load_steps.append)
    engine.first_load_info = loading.result(timeout=300)
    yield engine
    assert engine.close(timeout=30)


@pytest.fixture(scope="session")
def fast_engine(cache_dir: Path, bundled_engine: object) -> Iterator[object]:
    """An engine thread with the bundled model on the fast path (int4/int8, eager step)."""
    from engine.factory import create_local_engine
    from engine.models.spec import ModelSpec

    engine = create_local_engine(cache_dir=cache_dir, precision="fast").start()
    engine.first_load_info = engine.load(ModelSpec.bundled()).result(timeout=300)
    yield engine
    assert engine.close(timeout=30)


@pytest.fixture(scope="session")
def native_kernels(cache_dir: Path) -> object:
    """This machine's native step library (engine/fastpath/native_step.py), built once per session."""
    from engine.fastpath import native_step

    kernels = native_step.load_kernels(cache_dir / "compiled")
    assert kernels is not None, "the native step could not be built: is a C compiler installed?"
    return kernels


@pytest.fixture(scope="session")
def loaded(bundled_engine: object) -> object:
    """The loaded model and tokenizer, for comparing with `transformers` directly."""
    return bundled_engine._backend.loaded


def run_async(coro: object, timeout: float = 300) -> object:
    return asyncio.run(asyncio.wait_for(coro, timeout))


async def collect(engine: object, request: object) -> tuple[list[str], object]:
    """The deltas of one job, as a consumer keeps them (a `Revision` replaces what came
    before it, a `Notice` is no text), and its result."""
    from engine.jobs import Notice, Revision

    stream = engine.stream(request)  # type: ignore[attr-defined]
    deltas: list[str] = []
    async for delta in stream:
        if isinstance(delta, Notice):
            continue
        if isinstance(delta, Revision):
            deltas.clear()
        deltas.append(delta)
    return deltas, stream.result


def generated_summaries() -> object:
    """The default catalog with Summarize written by the model (pipeline "generate"), as a
    writer's override makes it: the path long texts take through engine/documents/long_summary.py."""
    from engine.prompting.templates import Catalog

    return Catalog.from_dict({"operations": {"summarize": {"pipeline": "generate"}}}, Catalog.default())
