"""A backend that plays back scripted text, for fast tests of the engine thread and the UI.

It follows the real backend's contract: it checks requests against the real catalog,
emits deltas one word at a time, reads the cancel event inside its loop, and can be told
to fail part-way.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from engine.asking import job as asking_job
from engine.backends.contract import Backend
from engine.errors import GenerationError, ModelLoadError
from engine.fidelity.alternatives import close_to, gather
from engine.fidelity.verdict import judge
from engine.jobs import Alternative, ModelInfo, Notice, Request, Result, Revision
from engine.models.progress import LoadReporter, ProgressSink
from engine.models.spec import LoadSpec
from engine.prompting.render import Prompt, render_for_server
from engine.prompting.templates import Catalog


class ScriptedBackend(Backend):
    def __init__(self, reply: str = "A scripted reply with several words.", delay: float = 0.0) -> None:
        self.reply = reply
        self.delay = delay
        self.fail_after: int | None = None
        self.catalog = Catalog.default()
        self._info: ModelInfo | None = None
        self.loads: list[LoadSpec] = []
        self.emitted_after_cancel = 0
        self.prompts_sent: list[str] = []  # the rendered prompt of every generate() call
        self.name = "scripted"
        self.fail_load: str | None = None  # a message: load() raises ModelLoadError with it
        self.unloaded = False
        self.missing_facts: tuple[str, ...] = ()  # reported as the real rewrite pipeline does
        self.revision: str | None = None  # sent after the reply, replacing it
        self.notice: str | None = None  # sent before the revision, as the real pipeline does
        self.judged = False  # the result carries the real verdict on the reply
        self.sources: tuple = ()  # summary sentences with their source spans
        self.warning = ""
        self.flags: tuple = ()  # Proofread's inclusive-wording flags, reported with the result
        self.alternatives: tuple[str, ...] = ()  # other answers, offered when a request asks for them
        self.confidence: tuple = ()  # WordConfidence of the reply, reported when a request asks
        self.confidence_of: Callable[[str], tuple] | None = None  # an alternative's, when asked
        self.after_prefix = " and the rest follows."  # what a request with an answer_prefix goes on with
        self.requests: list[Request] = []  # every request generate() was given

    @property
    def info(self) -> ModelInfo | None:
        return self._info

    def load(self, spec: LoadSpec, progress: ProgressSink | None = None) -> ModelInfo:
        self.loads.append(spec)
        reporter = LoadReporter(progress)
        reporter.plan([("Reading the script", 0.5), ("Learning the lines", 0.5)])
        reporter.step("Reading the script")
        reporter.step("Learning the lines")
        if self.fail_load is not None:
            raise ModelLoadError(self.fail_load)
        self._info = ModelInfo(
            name=self.name,
            kind="scripted",
            device="cpu",
            dtype="float32",
            device_reason="test",
            device_fallback=False,
            context_window=2048,
            parameters=0,
            has_chat_template=True,
            load_seconds=0.0,
            cache="none",
        )
        return self._info

    def unload(self) -> None:
        self._info = None
        self.unloaded = True

    def render(self, request: Request, catalog: Catalog | None = None) -> Prompt:
        catalog = catalog or self.catalog
        return render_for_server(request, catalog.validate(request), catalog)

    def set_catalog(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def count_prompt_tokens(self, request: Request) -> tuple[int, bool]:
        return len(self.render(request).text.split()), True

    def generate(self, request: Request, emit: Callable[[str], None], cancel: threading.Event) -> Result:
        if self.catalog.validate(request).pipeline == "ask":  # quoting needs no model: the real job

            def paced(piece: str) -> None:
                time.sleep(self.delay)
                emit(piece)

            return asking_job.run(request, paced, cancel, time.perf_counter(), self._info)
        self.prompts_sent.append(self.render(request).text)
        self.requests.append(request)
        reply = request.answer_prefix + self.after_prefix if request.answer_prefix else self.reply
        words = reply.split(" ")
        sent: list[str] = []
        for index, word in enumerate(words):
            if cancel.is_set():
                break
            if self.fail_after is not None and index == self.fail_after:
                raise GenerationError("scripted failure")
            if self.delay:
                time.sleep(self.delay)
            delta = word if index == 0 else " " + word
            if cancel.is_set():
                break
            sent.append(delta)
            emit(delta)
        if self.notice is not None and not cancel.is_set():
            emit(Notice(self.notice))
        if self.revision is not None and not cancel.is_set():
            emit(Revision(self.revision))
            sent = [self.revision]
        return Result(
            job_id=request.job_id,
            text="".join(sent),
            raw_text="".join(sent),
            prompt_tokens=10,
            new_tokens=len(sent),
            ttft_ms=1.0,
            tokens_per_s=100.0,
            stop_reason="cancelled" if cancel.is_set() else "eos",
            model=self.name,
            device="cpu",
            missing_facts=self.missing_facts,
            verdict=judge(request.text, "".join(sent), style=request.style) if self.judged else None,
            sources=self.sources,
            warning=self.warning,
            flags=self.flags,
            alternatives=tuple(
                Alternative(
                    text,
                    verdict,
                    self.confidence_of(text) if request.confidence and self.confidence_of else (),
                )
                for text, verdict in gather(  # the real choice of which to offer
                    "".join(sent),
                    request.text,
                    self.alternatives,
                    lambda _seed: "",
                    lambda text: judge(request.text, text, style=request.style),
                    request.alternatives,
                    cancel,
                    lambda text: close_to(request.text, text, request.style),
                )
            )
            if request.alternatives > 1
            else (),
            confidence=self.confidence if request.confidence and not request.answer_prefix else (),
        )
