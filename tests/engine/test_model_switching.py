"""Switching models at run time, sizing them before loading, and downloading on request."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from engine.errors import ModelLoadError
from engine.factory import backend_maker, create_engine
from engine.jobs import Request
from engine.models.device import choose_device
from engine.models.downloads import DownloadCancelled, check_online, download
from engine.models.probe import FAST_BYTES_PER_PARAMETER, estimate
from engine.models.spec import ModelKind, ModelSpec, bundled_model_path
from engine.prompting.templates import Catalog
from engine.settings import ModelSettings, Settings
from tests.conftest import PARAGRAPH, collect, run_async
from tests.fake_hub_server import FakeHub


def converted_folder(cache_dir: Path) -> Path:
    """The bundled GGUF converted to a plain `transformers` folder (by the session's first load)."""
    (config,) = list((cache_dir / "converted").glob("*/config.json"))
    return config.parent


def proofread(engine: object) -> str:
    _deltas, result = run_async(collect(engine, Request("proofread", PARAGRAPH)))
    return result.text


@pytest.mark.model
def test_switching_between_two_models_at_run_time_and_a_failed_switch_keeps_the_old_one(
    tmp_path: Path, cache_dir: Path, bundled_engine
) -> None:
    folder = converted_folder(cache_dir)
    exact = ModelSettings(precision="exact")
    catalog = Catalog.default()
    engine = create_engine(Settings(model=exact), catalog, cache_dir).start()
    try:
        first = engine.load(ModelSpec.bundled()).result(timeout=300)
        assert first.kind == "bundled"
        from_gguf = proofread(engine)

        to_folder = ModelSettings(source="folder", location=str(folder), precision="exact")
        info = engine.switch(backend_maker(to_folder, catalog, cache_dir), to_folder.spec())
        info = info.result(timeout=300)
        assert info.kind == "folder" and info.name == folder.name
        assert engine.info == info
        # the same weights, so the same greedy answer, now from the folder
        assert proofread(engine) == from_gguf

        broken = tmp_path / "broken.gguf"
        broken.write_bytes(b"GGUF" + b"\x00" * 64)
        bad = ModelSettings(source="gguf", location=str(broken), precision="exact")
        with pytest.raises(ModelLoadError):
            engine.switch(backend_maker(bad, catalog, cache_dir), bad.spec()).result(timeout=300)
        missing = ModelSettings(source="folder", location=str(tmp_path / "nowhere"), precision="exact")
        with pytest.raises(ModelLoadError, match=r"not found|No model|does not exist"):
            engine.switch(backend_maker(missing, catalog, cache_dir), missing.spec()).result(timeout=60)
        assert engine.info == info  # still the folder model, and it still works
        assert proofread(engine) == from_gguf

        back = ModelSettings(precision="fast")
        fast = engine.switch(backend_maker(back, catalog, cache_dir), back.spec()).result(timeout=300)
        assert fast.kind == "bundled" and fast.precision.startswith("fast")
        assert proofread(engine).strip()
    finally:
        assert engine.close(timeout=30)


@pytest.mark.model
def test_the_estimate_matches_what_loading_takes(cache_dir: Path, bundled_engine) -> None:
    cpu = choose_device("cpu")
    path = bundled_model_path()
    exact = estimate(ModelSpec.bundled(), cpu, "exact")
    loaded = bundled_engine.info
    assert exact.parameters == loaded.parameters
    assert exact.file_bytes == path.stat().st_size
    assert loaded.memory_bytes >= loaded.parameters * 4  # float32 weights, and buffers
    assert exact.memory_bytes > loaded.memory_bytes
    assert exact.fits is True and "it fits" in exact.describe()

    folder = estimate(ModelSpec(ModelKind.FOLDER, str(converted_folder(cache_dir))), cpu, "exact")
    assert folder.parameters == loaded.parameters

    fast = estimate(ModelSpec.bundled(), cpu, "fast")
    assert fast.memory_bytes < exact.memory_bytes
    engine = create_engine(Settings(), Catalog.default(), cache_dir).start()
    try:
        info = engine.load(ModelSpec.bundled()).result(timeout=300)
    finally:
        engine.close()
    # the fast decoder's weights take what the estimate assumes per parameter, within 15%
    assert info.memory_bytes == pytest.approx(info.parameters * FAST_BYTES_PER_PARAMETER, rel=0.15)


def test_an_estimate_says_when_a_model_does_not_fit(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr("engine.models.probe.available_memory", lambda device: 64 * 2**20)
    result = estimate(ModelSpec.bundled(), choose_device("cpu"), "exact")
    assert result.fits is False
    assert "does not fit" in result.describe()
    missing = estimate(ModelSpec(ModelKind.GGUF, str(tmp_path / "none.gguf")), choose_device("cpu"))
    assert missing.parameters is None and missing.fits is None and "Not found" in missing.describe()
    not_here = estimate(ModelSpec(ModelKind.HUB, "nobody/nothing-here"), choose_device("cpu"))
    assert "Not on this machine yet" in not_here.describe()


def test_offline_is_said_at_once() -> None:
    started = time.perf_counter()
    with pytest.raises(ModelLoadError, match="offline"):
        check_online("http://127.0.0.1:9")  # the discard port: nothing listens there
    with pytest.raises(ModelLoadError, match="offline"):
        download("org/model", lambda done, total: None, threading.Event(), endpoint="http://127.0.0.1:9")
    assert time.perf_counter() - started < 5


FILES = {
    "config.json": b'{"model_type": "llama"}',
    "model.safetensors": bytes(range(256)) * 2000,
    "tokenizer.json": b"{}",
    "README.md": b"not wanted",
}


def test_a_download_reports_progress_and_lands_in_the_hub_cache(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    with FakeHub("acme/tiny", FILES, chunk=16384) as hub:
        folder = download(
            "acme/tiny",
            lambda d, t: seen.append((d, t)),
            threading.Event(),
            endpoint=hub.url,
            cache_dir=tmp_path,
        )
    assert sorted(p.name for p in folder.iterdir()) == ["config.json", "model.safetensors", "tokenizer.json"]
    assert (folder / "model.safetensors").read_bytes() == FILES["model.safetensors"]
    wanted = sum(len(FILES[name]) for name in ("config.json", "model.safetensors", "tokenizer.json"))
    assert seen[-1] == (wanted, wanted)
    assert len(seen) > 3 and any(0 < done < wanted for done, _ in seen)


def test_a_download_can_be_cancelled_half_way(tmp_path: Path) -> None:
    cancel = threading.Event()
    seen: list[int] = []

    def report(done: int, total: int) -> None:
        seen.append(done)
        if done > 50_000:
            cancel.set()

    big = {"config.json": b"{}", "model.safetensors": b"x" * 2_000_000}
    started = time.perf_counter()
    with FakeHub("acme/big", big, chunk=8192, pause=0.005) as hub, pytest.raises(DownloadCancelled):
        download("acme/big", report, cancel, endpoint=hub.url, cache_dir=tmp_path)
    assert time.perf_counter() - started < 5  # the whole file would take over a second more
    assert max(seen) < 2_000_000
    assert not list(tmp_path.glob("**/snapshots/*/model.safetensors"))
