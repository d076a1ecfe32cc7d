"""What the window needs to manage models, passed in so tests can swap any of it.

The defaults build real backends, size real model files and download from the real hub;
they import the engine's heavy modules (torch) only when first used, so the window still
opens at once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.models.probe import Estimate
from engine.models.spec import LoadSpec
from engine.prompting.templates import Catalog
from engine.settings import ModelSettings, Settings

BackendMaker = Callable[[ModelSettings, Catalog], Callable[[], Any]]


def _backend_maker(model: ModelSettings, catalog: Catalog) -> Callable[[], Any]:
    from engine.factory import backend_maker

    return backend_maker(model, catalog)


def _estimate(model: ModelSettings) -> Estimate:
    from engine.models.device import choose_device
    from engine.models.probe import estimate

    choice = choose_device(model.device, model.dtype)
    return estimate(model.spec(), choice, model.precision, model.context_size)


def _download(repo_id: str, report: Callable[[int, int], None], cancel: threading.Event) -> Path:
    from engine.models.downloads import download

    return download(repo_id, report, cancel)


@dataclass(frozen=True)
class ModelServices:
    backend_maker: BackendMaker = field(default=_backend_maker)
    estimate: Callable[[ModelSettings], Estimate] = field(default=_estimate)
    download: Callable[[str, Callable[[int, int], None], threading.Event], Path] | None = field(
        default=_download
    )


def spec_for(settings: Settings) -> LoadSpec:
    """What the settings ask to load: a server, or a model in this process."""
    return settings.server.spec() if settings.uses_server else settings.model.spec()


def model_changed(old: Settings, new: Settings) -> bool:
    """Whether applying `new` needs a different model loaded."""
    if old.uses_server != new.uses_server:
        return True
    if new.uses_server:
        return old.server != new.server
    return old.model != new.model


def process_memory() -> int | None:
    """The app's resident memory now, for 'what loading actually took'."""
    try:
        import psutil

        return int(psutil.Process().memory_info().rss)
    except (ImportError, OSError):
        return None
