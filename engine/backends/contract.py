"""What the engine thread needs from a backend, local or remote.

A backend is used from the engine thread only. It takes plain requests and returns plain
results; `emit` receives clean text deltas as they are settled, and `cancel` is read
inside the generation loop.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Protocol

from engine.jobs import ModelInfo, Request, Result
from engine.models.spec import ModelSpec
from engine.prompting.render import Prompt
from engine.prompting.templates import Catalog


class Backend(Protocol):
    @property
    def info(self) -> ModelInfo | None: ...

    def load(self, spec: ModelSpec) -> ModelInfo: ...

    def unload(self) -> None: ...

    def render(self, request: Request, catalog: Catalog | None = None) -> Prompt: ...

    def set_catalog(self, catalog: Catalog) -> None: ...

    def count_prompt_tokens(self, request: Request) -> tuple[int, bool]:
        """How many tokens the rendered prompt takes, and whether that count is exact."""
        ...

    def generate(self, request: Request, emit: Callable[[str], None], cancel: threading.Event) -> Result: ...
