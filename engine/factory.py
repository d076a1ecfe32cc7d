"""Wiring an engine to its backend: the one place the pieces are put together."""

from __future__ import annotations

from pathlib import Path

from engine.engine import Engine
from engine.loader import ModelLoader
from engine.local_backend import LocalBackend
from engine.model_cache import ConvertedModelCache, default_cache_dir
from engine.templates import Catalog


def create_local_engine(
    *,
    device: str = "auto",
    dtype: str = "auto",
    precision: str = "fast",
    cache_dir: Path | None = None,
    catalog: Catalog | None = None,
) -> Engine:
    """An engine for an in-process model; the caller starts it and loads a model.

    `precision="fast"` (the default) runs Llama-architecture models on the CPU through the
    lean quantized decoder; `"exact"` keeps float32 and `transformers`' own `generate`.
    """
    cache = ConvertedModelCache(cache_dir or default_cache_dir())
    backend = LocalBackend(
        ModelLoader(cache), catalog or Catalog.default(), device=device, dtype=dtype, precision=precision
    )
    return Engine(backend)
