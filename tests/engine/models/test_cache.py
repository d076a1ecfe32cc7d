"""The converted-model cache: unit checks of its integrity rules, and the real bundled model."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from engine.models.cache import MANIFEST, ConvertedModelCache, SourceKey
from engine.models.device import choose_device
from engine.models.loader import ModelLoader
from engine.models.spec import ModelSpec


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "model.gguf"
    path.write_bytes(b"GGUF" + bytes(range(256)) * 100)
    return path


def write_entry(folder: Path) -> None:
    (folder / "config.json").write_text('{"model_type": "llama"}', encoding="utf-8")
    (folder / "model.safetensors").write_bytes(b"\x01" * 4096)


def test_store_then_lookup(tmp_path: Path, source: Path) -> None:
    cache = ConvertedModelCache(tmp_path / "cache")
    key = SourceKey.of(source)
    assert cache.lookup(key) == (None, "missing")
    folder = cache.store(key, write_entry)
    assert cache.lookup(key) == (folder, "ok")
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    assert set(manifest["files"]) == {"config.json", "model.safetensors"}


@pytest.mark.parametrize(
    ("damage", "fault"),
    [
        (lambda f: (f / "model.safetensors").write_bytes(b"\x01" * 4095 + b"\x02"), "checksum"),
        (lambda f: (f / "model.safetensors").write_bytes(b"\x01" * 100), "wrong size"),
        (lambda f: (f / "config.json").unlink(), "missing"),
        (lambda f: (f / MANIFEST).write_text("{not json", encoding="utf-8"), "manifest"),
        (lambda f: (f / MANIFEST).unlink(), "manifest"),
    ],
)
def test_a_damaged_entry_is_detected_and_removed(tmp_path: Path, source: Path, damage, fault: str) -> None:
    cache = ConvertedModelCache(tmp_path / "cache")
    key = SourceKey.of(source)
    folder = cache.store(key, write_entry)
    damage(folder)
    found, why = cache.lookup(key)
    assert found is None
    assert fault in why
    assert not folder.exists()


def test_an_entry_another_process_published_meanwhile_is_kept(tmp_path: Path, source: Path) -> None:
    """Two conversions at once (a background `prepare` beside the first window): the one
    that finishes second keeps the first one's entry, which the other may be reading."""
    cache = ConvertedModelCache(tmp_path / "cache")
    key = SourceKey.of(source)
    theirs: list[int] = []

    def write_while_another_publishes(folder: Path) -> None:
        write_entry(folder)
        other = ConvertedModelCache(tmp_path / "cache").store(key, write_entry)
        theirs.append((other / "model.safetensors").stat().st_ino)

    folder = cache.store(key, write_while_another_publishes)
    assert (folder / "model.safetensors").stat().st_ino == theirs[0]
    assert cache.lookup(key) == (folder, "ok")
    assert [p.name for p in folder.parent.iterdir()] == [folder.name]  # no staging left


def test_a_changed_source_gets_a_new_key(tmp_path: Path, source: Path) -> None:
    before = SourceKey.of(source)
    source.write_bytes(source.read_bytes()[:-1] + b"\xff")
    assert SourceKey.of(source).entry_name != before.entry_name


def test_a_failed_conversion_leaves_no_entry(tmp_path: Path, source: Path) -> None:
    cache = ConvertedModelCache(tmp_path / "cache")
    key = SourceKey.of(source)

    def fail(folder: Path) -> None:
        write_entry(folder)
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        cache.store(key, fail)
    assert cache.lookup(key) == (None, "missing")
    assert list(cache.root.iterdir()) == []


@pytest.mark.model
def test_second_load_of_the_bundled_model_uses_the_cache(bundled_engine, cache_dir: Path, capsys) -> None:
    first = bundled_engine.first_load_info
    assert first.cache == "built"
    loader = ModelLoader(ConvertedModelCache(cache_dir))
    started = time.perf_counter()
    second = loader.load(ModelSpec.bundled(), choose_device("cpu"))
    seconds = time.perf_counter() - started
    assert second.info.cache == "hit"
    assert second.info.parameters == first.parameters
    with capsys.disabled():
        print(
            f"\n[bundled model] first load (conversion) {first.load_seconds:.2f} s, "
            f"cached load {seconds:.2f} s"
        )


@pytest.mark.model
def test_a_corrupt_real_cache_entry_is_rebuilt(cache_dir: Path, bundled_engine, tmp_path: Path) -> None:
    copy = tmp_path / "cache"
    shutil.copytree(cache_dir, copy)
    (entry,) = (copy / "converted").iterdir()
    weights = entry / "model.safetensors"
    with weights.open("r+b") as handle:  # flip bytes in the middle of the weights
        handle.seek(weights.stat().st_size // 2)
        handle.write(b"\x00\xff\x00\xff")
    loaded = ModelLoader(ConvertedModelCache(copy)).load(ModelSpec.bundled(), choose_device("cpu"))
    assert loaded.info.cache == "rebuilt"
    again = ModelLoader(ConvertedModelCache(copy)).load(ModelSpec.bundled(), choose_device("cpu"))
    assert again.info.cache == "hit"
