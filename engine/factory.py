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


def create_remote_engine(
    base_url: str,
    *,
    model: str | None = None,
    api_key_env: str | None = None,
    first_byte_timeout: float | None = None,
    catalog: Catalog | None = None,
) -> Engine:
    """An engine whose model runs on an OpenAI-compatible server (vLLM, llama.cpp, Ollama)."""
    from engine.remote_backend import DEFAULT_FIRST_BYTE_TIMEOUT, RemoteBackend

    backend = RemoteBackend(
        base_url,
        catalog or Catalog.default(),
        model=model,
        api_key_env=api_key_env,
        first_byte_timeout=first_byte_timeout or DEFAULT_FIRST_BYTE_TIMEOUT,
    )
    return Engine(backend)
