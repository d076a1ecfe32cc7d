"""The engine thread: one thread owns the model and serves jobs one at a time.

Callers hand in frozen requests and get back a `Stream`: `async for delta in stream`
yields clean text deltas, and `stream.result` holds counts and timings once it ends.
Events cross from the engine thread to the caller's asyncio loop with
`call_soon_threadsafe`, so the same API serves qasync in the window and `asyncio.run` in
the CLI. A late event of a cancelled or replaced job is dropped by its id.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, TypeVar

from engine.errors import EngineClosedError, GenerationError, InkwellError, ModelLoadError
from engine.jobs import Chunk, Done, Event, Failed, ModelInfo, Notice, Request, Result, Revision

if TYPE_CHECKING:  # the engine module itself stays free of torch, so the UI can import it
    from engine.backends.contract import Backend
    from engine.models.progress import ProgressSink
    from engine.models.spec import LoadSpec
    from engine.prompting.render import Prompt
    from engine.prompting.templates import Catalog

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass
class _GenerateJob:
    request: Request
    sink: Callable[[Event], None]
    cancel: threading.Event = field(default_factory=threading.Event)


@dataclass
class _CallJob:
    """Any other work that must run on the engine thread (loading, rendering)."""

    call: Callable[[], Any]
    future: concurrent.futures.Future[Any] = field(default_factory=concurrent.futures.Future)


class Engine:
    """Owns the backend and the thread that drives it."""

    def __init__(
        self, backend: Backend | None = None, *, make_backend: Callable[[], Backend] | None = None
    ) -> None:
        """`backend`, or `make_backend` to build it on the engine thread as its first job:
        the window then shows before torch and transformers are imported (seconds)."""
        if (backend is None) == (make_backend is None):
            raise ValueError("give the engine a backend or a way to make one, not both")
        self._backend: Backend | None = backend
        self._make_backend = make_backend
        self._backend_error: BaseException | None = None
        self._queue: queue.Queue[_GenerateJob | _CallJob | None] = queue.Queue()
        self._lock = threading.Lock()
        self._jobs: dict[int, _GenerateJob] = {}
        self._thread: threading.Thread | None = None
        self._closed = False
        self._running: int | None = None  # the job id the engine thread is working on

    # -- lifecycle ---------------------------------------------------------------

    def start(self) -> Engine:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="inkwell-engine")
            self._thread.start()
        return self

    def close(self, timeout: float = 10.0) -> bool:
        """Cancel everything, stop the thread and wait for it; True if it ended in time."""
        self._closed = True
        self.cancel_all()
        self._queue.put(None)
        if self._thread is None:
            return True
        self._thread.join(timeout)
        if self._backend is not None:  # e.g. stop a background compile
            self._backend.close()
        return not self._thread.is_alive()

    def __enter__(self) -> Engine:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def info(self) -> ModelInfo | None:
        return self._backend.info if self._backend is not None else None

    # -- work --------------------------------------------------------------------

    def submit(self, call: Callable[[], T]) -> concurrent.futures.Future[T]:
        if self._closed:
            raise EngineClosedError("The engine has been shut down.")
        job = _CallJob(call)
        self._queue.put(job)
        return job.future

    def load(
        self, spec: LoadSpec, progress: ProgressSink | None = None
    ) -> concurrent.futures.Future[ModelInfo]:
        """Load a model on the engine thread; the future gives its `ModelInfo`. `progress`
        is called on the engine thread with each step of a long load."""
        future = self.submit(lambda: self._ready().load(spec, progress))
        self._after_load()
        return future

    def _after_load(self) -> None:
        """Queue the backend's finishing touches (e.g. attaching a compiled step) behind the
        load, so the model is reported ready first."""

        def after() -> None:
            if self._backend is not None:
                self._backend.after_load()

        self._queue.put(_CallJob(after))

    def switch(
        self, make_backend: Callable[[], Backend], spec: LoadSpec, progress: ProgressSink | None = None
    ) -> concurrent.futures.Future[ModelInfo]:
        """Load `spec` into a new backend and only then let it replace the current one, so a
        failed switch leaves the previous model working. The future gives its `ModelInfo`."""

        def call() -> ModelInfo:
            backend = make_backend()
            info = backend.load(spec, progress)
            old, self._backend = self._backend, backend
            if old is not None:
                old.unload()
            self._after_load()
            return info

        return self.submit(call)

    def set_catalog(self, catalog: Catalog) -> concurrent.futures.Future[None]:
        """Use edited prompt templates from the next job on."""
        return self.submit(lambda: self._ready().set_catalog(catalog))

    def count_prompt_tokens(self, request: Request) -> concurrent.futures.Future[tuple[int, bool]]:
        """The future gives (tokens, exact) for the prompt `request` would send."""
        return self.submit(lambda: self._ready().count_prompt_tokens(request))

    def render(self, request: Request, catalog: Catalog | None = None) -> concurrent.futures.Future[Prompt]:
        """The exact prompt a request would send (for previews); `catalog` tries templates
        that are not in use yet."""
        return self.submit(lambda: self._ready().render(request, catalog))

    def run(self, request: Request, sink: Callable[[Event], None], *, replace: bool = False) -> None:
        """Queue a job whose events go to `sink`, called on the engine thread."""
        if self._closed:
            raise EngineClosedError("The engine has been shut down.")
        job = _GenerateJob(request, sink)
        with self._lock:
            others = list(self._jobs) if replace else []
            self._jobs[request.job_id] = job
        for other in others:
            self.cancel(other)
        self._queue.put(job)

    def stream(self, request: Request, *, replace: bool = False) -> Stream:
        """Start a job and return its async stream; call from a running event loop."""
        stream = Stream(self, request, asyncio.get_running_loop())
        self.run(request, stream._post, replace=replace)
        return stream

    def cancel(self, job_id: int) -> None:
        with self._lock:
            job = self._jobs.get(job_id)
            running = self._running == job_id
        if job is not None:
            job.cancel.set()
            if running and self._backend is not None:  # e.g. close a server's HTTP stream now
                self._backend.interrupt()

    def cancel_all(self) -> None:
        with self._lock:
            ids = list(self._jobs)
        for job_id in ids:
            self.cancel(job_id)

    # -- the thread --------------------------------------------------------------

    def _ready(self) -> Backend:
        """The backend, on the engine thread (raises why it could not be built)."""
        if self._backend is None:
            raise ModelLoadError(f"The model engine could not start: {self._backend_error}")
        return self._backend

    def _run(self) -> None:
        if self._backend is None and self._make_backend is not None:
            try:  # imports torch and transformers: seconds, off the window's thread
                self._backend = self._make_backend()
            except Exception as exc:  # every job then says why
                log.exception("The backend could not be built")
                self._backend_error = exc
        while True:
            job = self._queue.get()
            if job is None:
                break
            if self._closed:  # shutting down: queued work is failed, not run
                self._fail(job)
            elif isinstance(job, _CallJob):
                self._run_call(job)
            else:
                self._run_generate(job)
        self._fail_pending()

    @staticmethod
    def _run_call(job: _CallJob) -> None:
        if not job.future.set_running_or_notify_cancel():
            return
        try:
            job.future.set_result(job.call())
        except BaseException as exc:  # reported to the caller, never lost in the thread
            job.future.set_exception(exc)

    def _run_generate(self, job: _GenerateJob) -> None:
        job_id = job.request.job_id
        with self._lock:
            self._running = job_id
        try:
            if job.cancel.is_set():
                result = Result.empty(job.request.job_id, self.info, "cancelled")
            else:
                result = self._ready().generate(
                    job.request, lambda text: job.sink(Chunk(job_id, text)), job.cancel
                )
            job.sink(Done(job_id, result))
        except InkwellError as exc:
            job.sink(Failed(job_id, exc))
        except Exception as exc:
            log.exception("Generation job failed")
            job.sink(Failed(job_id, GenerationError(f"Generation failed: {type(exc).__name__}: {exc}")))
        finally:
            with self._lock:
                self._jobs.pop(job_id, None)
                self._running = None

    def _fail_pending(self) -> None:
        while True:
            try:
                job = self._queue.get_nowait()
            except queue.Empty:
                return
            if job is not None:
                self._fail(job)

    def _fail(self, job: _GenerateJob | _CallJob) -> None:
        closed = EngineClosedError("The engine was shut down.")
        if isinstance(job, _GenerateJob):
            job.sink(Done(job.request.job_id, Result.empty(job.request.job_id, self.info, "cancelled")))
            with self._lock:
                self._jobs.pop(job.request.job_id, None)
        elif job.future.set_running_or_notify_cancel():
            job.future.set_exception(closed)


class Stream:
    """The caller's side of one job: an async iterator of text deltas.

    A delta that is a `Revision` replaces all the text yielded before it; a `Notice` is a
    message about the answer, never part of it."""

    def __init__(self, engine: Engine, request: Request, loop: asyncio.AbstractEventLoop) -> None:
        self._engine = engine
        self.request = request
        self.job_id = request.job_id
        self._loop = loop
        self._events: asyncio.Queue[Event] = asyncio.Queue()
        self._cancelled = False
        self._finished = False
        self._yielded: list[str] = []
        self.result: Result | None = None

    def _post(self, event: Event) -> None:
        """Called on the engine thread; hands the event to the caller's loop."""
        try:
            self._loop.call_soon_threadsafe(self._deliver, event)
        except RuntimeError:  # the caller's loop is closed: nobody is listening
            self._engine.cancel(self.job_id)

    def _deliver(self, event: Event) -> None:
        if event.job_id != self.job_id:
            return
        if isinstance(event, Chunk) and self._cancelled:
            return  # nothing of a cancelled job reaches the caller
        self._events.put_nowait(event)

    def cancel(self) -> None:
        """Stop the job; no delta is yielded after this call."""
        self._cancelled = True
        self._engine.cancel(self.job_id)

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def __aiter__(self) -> Stream:
        return self

    async def __anext__(self) -> str:
        if self._finished:
            raise StopAsyncIteration
        while True:
            event = await self._events.get()
            if isinstance(event, Chunk):
                if self._cancelled:
                    continue
                if isinstance(event.text, Notice):
                    return event.text
                if isinstance(event.text, Revision):  # replaces everything yielded so far
                    self._yielded.clear()
                self._yielded.append(event.text)
                return event.text
            self._finished = True
            if isinstance(event, Failed):
                raise event.error
            result = event.result
            if self._cancelled:  # describe what the caller actually received
                result = replace(result, text="".join(self._yielded), stop_reason="cancelled")
            self.result = result
            raise StopAsyncIteration

    async def text(self) -> str:
        """Run to the end and return the full text (as revised, when a revision came)."""
        async for _delta in self:
            pass
        return "".join(self._yielded)

    async def aclose(self) -> None:
        if not self._finished:
            self.cancel()
            async for _ in self:
                pass
