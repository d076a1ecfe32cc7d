"""Wiring an engine to its backend: the one place the pieces are put together.

Each backend kind is built one way, `local_backend` or `remote_backend`; engines and the
window's `backend_maker` go through them. What a backend then loads is a spec of its own
kind (engine/models/spec.py): a `ModelSpec` in this process, a `ServerSpec` for a server.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from engine.backends.contract import Backend
from engine.engine import Engine
from engine.prompting.templates import Catalog
from engine.settings import ModelSettings, Settings

# The local backend's modules import torch and transformers (seconds): they are imported
# where a backend is built, which for the window is the engine thread, after it shows.


def local_backend(
    catalog: Catalog,
    *,
    device: str = "auto",
    dtype: str = "auto",
    precision: str = "fast",
    cache_dir: Path | None = None,
    context_size: int = 0,
    compile_step: str = "use",
) -> Backend:
    """A model in this process. `precision="fast"` (the default) runs Llama-architecture
    models on the CPU through the lean quantized decoder; `"exact"` keeps float32 and
    `transformers`' own `generate`."""
    from engine.backends.local import LocalBackend
    from engine.models.cache import ConvertedModelCache, default_cache_dir
    from engine.models.loader import ModelLoader

    return LocalBackend(
        ModelLoader(ConvertedModelCache(cache_dir or default_cache_dir())),
        catalog,
        device=device,
        dtype=dtype,
        precision=precision,
        context_size=context_size,
        compile_step=compile_step,
    )


def remote_backend(catalog: Catalog) -> Backend:
    """An OpenAI-compatible server (vLLM, llama.cpp, Ollama); which one comes with load()."""
    from engine.backends.remote import RemoteBackend

    return RemoteBackend(catalog)


def create_local_engine(
    *,
    device: str = "auto",
    dtype: str = "auto",
    precision: str = "fast",
    cache_dir: Path | None = None,
    catalog: Catalog | None = None,
    context_size: int = 0,
    compile_step: str = "use",
) -> Engine:
    """An engine for an in-process model; the caller starts it and loads a `ModelSpec`."""
    return Engine(
        local_backend(
            catalog or Catalog.default(),
            device=device,
            dtype=dtype,
            precision=precision,
            cache_dir=cache_dir,
            context_size=context_size,
            compile_step=compile_step,
        )
    )


def create_remote_engine(catalog: Catalog | None = None) -> Engine:
    """An engine for a server; the caller starts it and loads a `ServerSpec`."""
    return Engine(remote_backend(catalog or Catalog.default()))


def backend_maker(
    settings: ModelSettings, catalog: Catalog, cache_dir: Path | None = None
) -> Callable[[], Backend]:
    """A function that builds the backend `settings` describe (called on the engine thread)."""
    if settings.source == "server":
        return lambda: remote_backend(catalog)
    return lambda: local_backend(
        catalog,
        device=settings.device,
        dtype=settings.dtype,
        precision=settings.precision,
        cache_dir=cache_dir,
        context_size=settings.context_size,
        compile_step="build",  # the window: compile once, in the background
    )


def create_engine(settings: Settings, catalog: Catalog, cache_dir: Path | None = None) -> Engine:
    """The engine the writer's settings ask for, not yet started or loaded. Its backend is
    built on the engine thread once it starts, so nothing here imports torch."""
    return Engine(make_backend=backend_maker(settings.model, catalog, cache_dir))
