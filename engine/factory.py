"""Wiring an engine to its backend: the one place the pieces are put together."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from engine.backends.contract import Backend
from engine.engine import Engine
from engine.prompting.templates import Catalog
from engine.settings import ModelSettings, ServerSettings, Settings

# The local backend's modules import torch and transformers (seconds): they are imported
# where a backend is built, which for the window is the engine thread, after it shows.


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
    """An engine for an in-process model; the caller starts it and loads a model.

    `precision="fast"` (the default) runs Llama-architecture models on the CPU through the
    lean quantized decoder; `"exact"` keeps float32 and `transformers`' own `generate`.
    """
    from engine.backends.local import LocalBackend
    from engine.models.cache import ConvertedModelCache, default_cache_dir
    from engine.models.loader import ModelLoader

    cache = ConvertedModelCache(cache_dir or default_cache_dir())
    backend = LocalBackend(
        ModelLoader(cache),
        catalog or Catalog.default(),
        device=device,
        dtype=dtype,
        precision=precision,
        context_size=context_size,
        compile_step=compile_step,
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
    from engine.backends.remote import DEFAULT_FIRST_BYTE_TIMEOUT, RemoteBackend

    backend = RemoteBackend(
        base_url,
        catalog or Catalog.default(),
        model=model,
        api_key_env=api_key_env,
        first_byte_timeout=first_byte_timeout or DEFAULT_FIRST_BYTE_TIMEOUT,
    )
    return Engine(backend)


def backend_maker(
    settings: ModelSettings, server: ServerSettings, catalog: Catalog, cache_dir: Path | None = None
) -> Callable[[], Backend]:
    """A function that builds the backend `settings` describe (called on the engine thread)."""
    if settings.source == "server":
        from engine.backends.remote import RemoteBackend

        def remote() -> Backend:
            return RemoteBackend(
                server.url,
                catalog,
                model=server.model or None,
                api_key_env=server.api_key_env or None,
                first_byte_timeout=server.first_byte_timeout,
            )

        return remote

    def local() -> Backend:
        from engine.backends.local import LocalBackend
        from engine.models.cache import ConvertedModelCache, default_cache_dir
        from engine.models.loader import ModelLoader

        return LocalBackend(
            ModelLoader(ConvertedModelCache(cache_dir or default_cache_dir())),
            catalog,
            device=settings.device,
            dtype=settings.dtype,
            precision=settings.precision,
            context_size=settings.context_size,
            compile_step="build",  # the window: compile once, in the background
        )

    return local


def create_engine(settings: Settings, catalog: Catalog, cache_dir: Path | None = None) -> Engine:
    """The engine the writer's settings ask for, not yet started or loaded. Its backend is
    built on the engine thread once it starts, so nothing here imports torch."""
    return Engine(make_backend=backend_maker(settings.model, settings.server, catalog, cache_dir))
