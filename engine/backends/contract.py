"""What the engine thread needs from a backend, local or remote: every call it makes.

A backend is used from the engine thread only (`interrupt` excepted, see there). It takes
plain requests and returns plain results; `emit` receives clean text deltas as they are
settled, and `cancel` is read inside the generation loop. The hooks after the abstract
methods have do-nothing defaults, so a backend only writes those it needs.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Callable

from engine.jobs import ModelInfo, Request, Result
from engine.models.progress import ProgressSink
from engine.models.spec import LoadSpec
from engine.prompting.render import Prompt
from engine.prompting.templates import Catalog


class Backend(ABC):
    @property
    def preparing(self) -> bool:
        """A faster decode step is being built in the background (the CLI says so once)."""
        return False

    @property
    @abstractmethod
    def info(self) -> ModelInfo | None:
        """The loaded model, or None before the first load."""

    @abstractmethod
    def load(self, spec: LoadSpec, progress: ProgressSink | None = None) -> ModelInfo:
        """Load the model (a `ModelSpec`) or connect to the server (a `ServerSpec`) this
        kind of backend runs; on failure the previous one stays in use. `progress` hears
        each step of a long load, on the engine thread."""

    @abstractmethod
    def unload(self) -> None: ...

    @abstractmethod
    def render(self, request: Request, catalog: Catalog | None = None) -> Prompt: ...

    @abstractmethod
    def set_catalog(self, catalog: Catalog) -> None: ...

    @abstractmethod
    def count_prompt_tokens(self, request: Request) -> tuple[int, bool]:
        """How many tokens the rendered prompt takes, and whether that count is exact."""

    @abstractmethod
    def generate(self, request: Request, emit: Callable[[str], None], cancel: threading.Event) -> Result: ...

    # -- hooks -----------------------------------------------------------------------

    def after_load(self) -> None:  # noqa: B027  (an optional hook: doing nothing is right)
        """Finishing touches queued right behind a load (e.g. attaching a compiled step),
        so the model is reported ready before they run."""

    def interrupt(self) -> None:  # noqa: B027
        """Called from another thread when the running job is cancelled: unblock what the
        loop waits on (e.g. close a server's HTTP stream) so cancelling is immediate."""

    def close(self) -> None:  # noqa: B027
        """The engine is shutting down: stop background work (e.g. a compile process)."""
