"""Downloading a Hugging Face model, only when the writer asks, with progress and cancel.

Inkwell runs offline by default (HF_HUB_OFFLINE is set at start), so nothing is ever
fetched behind the writer's back. When they press Download, the hub is first checked
with a short connection attempt, so an offline machine says so at once instead of
hanging; then the model's weights, config and tokenizer files are fetched into the usual
hub cache, where loading the id finds them. Runs on a plain worker thread (no torch).
"""

from __future__ import annotations

import contextlib
import io
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from engine.errors import InkwellError, ModelLoadError

WANTED_FILES = ["*.json", "*.safetensors", "*.model", "*.txt", "*.jinja", "tokenizer*"]
CONNECT_TIMEOUT_S = 4.0
CHUNK_BYTES = 256 * 1024  # progress and cancel are checked once a chunk

Progress = Callable[[int, int], None]  # bytes done, bytes in all (0 when not known yet)


class DownloadCancelled(InkwellError):
    pass


def hub_endpoint() -> str:
    from huggingface_hub import constants

    return constants.ENDPOINT


def check_online(endpoint: str | None = None, timeout: float = CONNECT_TIMEOUT_S) -> None:
    """Fail fast, with a plain message, when the hub cannot be reached."""
    url = urlparse(endpoint or hub_endpoint())
    host = url.hostname or "huggingface.co"
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return
    except OSError as exc:
        raise ModelLoadError(
            f"You appear to be offline: {host} cannot be reached ({exc.__class__.__name__}). "
            "Connect to the internet to download models; everything already on this machine "
            "keeps working."
        ) from None


@contextlib.contextmanager
def _online() -> Iterator[None]:
    """Let `huggingface_hub` fetch for the length of a download the writer asked for, in
    chunks small enough that progress moves and a cancel takes effect within a moment."""
    from huggingface_hub import constants

    before = constants.HF_HUB_OFFLINE, constants.DOWNLOAD_CHUNK_SIZE
    constants.HF_HUB_OFFLINE = False
    constants.DOWNLOAD_CHUNK_SIZE = CHUNK_BYTES
    try:
        yield
    finally:
        constants.HF_HUB_OFFLINE, constants.DOWNLOAD_CHUNK_SIZE = before


def _progress_bar_class(report: Progress, cancel: threading.Event) -> type:
    """A tqdm that draws nothing, reports bytes and raises when the writer cancels.

    A real tqdm subclass, so whatever `huggingface_hub` does with its bars (per-file or
    aggregated bars, totals set later, iterating a thread map) keeps working.
    """
    from tqdm.auto import tqdm

    lock = threading.Lock()
    byte_bars: list[Any] = []

    class Bar(tqdm):
        monitor_interval = 0  # no tqdm monitor thread: it would call refresh() from elsewhere

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.pop("name", None)
            kwargs["file"] = io.StringIO()
            kwargs["disable"] = False
            super().__init__(*args, **kwargs)
            if self.unit == "B":
                with lock:
                    byte_bars.append(self)
            self._tick()

        def _report(self) -> None:
            with lock:
                done = max((bar.n for bar in byte_bars), default=0)
                total = max((bar.total or 0 for bar in byte_bars), default=0)
            report(int(done), int(total))

        def _tick(self) -> None:
            """On the downloading thread: report, and stop there when the writer cancelled."""
            if cancel.is_set():
                raise DownloadCancelled("The download was cancelled.")
            self._report()

        def update(self, n: float | None = 1) -> bool | None:
            shown: bool | None = super().update(n)
            self._tick()
            return shown

        def refresh(self, *args: Any, **kwargs: Any) -> None:
            super().refresh(*args, **kwargs)
            self._report()  # totals can change here; never raise from a refresh

    return Bar


def download(
    repo_id: str,
    report: Progress,
    cancel: threading.Event,
    *,
    fetch: Callable[..., str] | None = None,
    endpoint: str | None = None,
    cache_dir: Path | None = None,
) -> Path:
    """Fetch `repo_id` into the hub cache and return its folder (`endpoint` and `cache_dir`
    default to the hub's own settings; `fetch` stands in for `snapshot_download`)."""
    check_online(endpoint)
    if fetch is None:
        from huggingface_hub import snapshot_download

        fetch = snapshot_download
    bar = _progress_bar_class(report, cancel)
    try:
        with _online():
            folder = fetch(
                repo_id=repo_id,
                allow_patterns=WANTED_FILES,
                tqdm_class=bar,
                max_workers=2,
                endpoint=endpoint,
                cache_dir=cache_dir,
            )
    except DownloadCancelled:
        raise
    except InkwellError:
        raise
    except Exception as exc:
        if cancel.is_set():
            raise DownloadCancelled("The download was cancelled.") from None
        raise ModelLoadError(f"The download of {repo_id} failed: {type(exc).__name__}: {exc}") from exc
    if cancel.is_set():
        raise DownloadCancelled("The download was cancelled.")
    return Path(folder)
