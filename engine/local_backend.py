"""Running operations on a model in this process with `transformers`' `generate`.

Streaming goes through a streamer that decodes and cleans tokens in the generating
thread itself, and stopping through a `StoppingCriteria` that reads the cancel event
and the cleaner's end-of-answer flag, so both take effect within one token.
"""

from __future__ import annotations

import logging
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import torch
from transformers import StoppingCriteria, StoppingCriteriaList
from transformers.generation.streamers import BaseStreamer

from engine import compiled_step
from engine.cleaning import CleanerOptions, OutputCleaner
from engine.detokenizer import IncrementalDetokenizer
from engine.device import choose_device
from engine.errors import GenerationError, InputError, ModelLoadError
from engine.fast_llama import FastLlama
from engine.jobs import ModelInfo, Request, Result
from engine.loader import LoadedModel, ModelLoader
from engine.prompts import Prompt, render
from engine.repetition import RepetitionGuard
from engine.spec import ModelSpec
from engine.templates import Catalog

log = logging.getLogger(__name__)


class _StopWhen(StoppingCriteria):
    """Stops generation when `should_stop()` says so; checked after every token."""

    def __init__(self, should_stop: Callable[[], bool]) -> None:
        self._should_stop = should_stop

    def __call__(self, input_ids: torch.LongTensor, scores: Any, **kwargs: Any) -> torch.BoolTensor:
        stop = self._should_stop()
        return torch.full((input_ids.shape[0],), stop, dtype=torch.bool, device=input_ids.device)


class _CleaningStreamer(BaseStreamer):
    """Receives token ids from `generate`; emits clean text deltas."""

    def __init__(
        self,
        detokenizer: IncrementalDetokenizer,
        cleaner: OutputCleaner,
        emit: Callable[[str], None],
        cancel: threading.Event,
        stop_on_loop: bool = True,
    ) -> None:
        self._detokenizer = detokenizer
        self._cleaner = cleaner
        self._emit = emit
        self._cancel = cancel
        self._prompt_seen = False
        self.first_token_at: float | None = None
        self.last_token_at: float | None = None
        self.delivered: list[str] = []
        self._guard = RepetitionGuard() if stop_on_loop else None

    def put(self, value: torch.Tensor) -> None:
        if not self._prompt_seen:  # generate() first hands over the prompt
            self._prompt_seen = True
            return
        now = time.perf_counter()
        if self.first_token_at is None:
            self.first_token_at = now
        self.last_token_at = now
        for token_id in value.reshape(-1).tolist():
            self._send(self._cleaner.feed(self._detokenizer.add(int(token_id))))
        if self._guard is not None:
            self._guard.check(self._detokenizer.ids)

    def end(self) -> None:
        self._send(self._cleaner.feed(self._detokenizer.finish()))
        self._send(self._cleaner.finish())

    def _send(self, delta: str) -> None:
        if delta and not self._cancel.is_set():
            self.delivered.append(delta)
            self._emit(delta)

    @property
    def answer_ended(self) -> bool:
        return self._cleaner.stopped

    @property
    def looping(self) -> bool:
        return self._guard is not None and self._guard.looping

    def should_stop(self) -> bool:
        return self._cancel.is_set() or self._cleaner.stopped or self.looping


def device_generate_options(device: str) -> dict[str, Any]:
    """On a CUDA GPU: a static KV cache, with which `generate` compiles its decoding step
    (shapes stay fixed, so it compiles once per length bucket and then replays fast)."""
    if device == "cuda":
        return {"cache_implementation": "static"}
    return {}


def _pick(logits: torch.Tensor, temperature: float, top_p: float, generator: torch.Generator | None) -> int:
    """Greedy when temperature is 0; otherwise nucleus sampling with the job's generator."""
    if generator is None or temperature <= 0:
        return int(torch.argmax(logits))
    probs = torch.softmax(logits.float() / temperature, dim=-1)
    ordered, order = torch.sort(probs, descending=True)
    keep = torch.cumsum(ordered, dim=-1) - ordered < top_p
    ordered = ordered * keep
    choice = torch.multinomial(ordered / ordered.sum(), 1, generator=generator)
    return int(order[choice])


class LocalBackend:
    """Owns one loaded model at a time; used from the engine thread only."""

    def __init__(
        self,
        loader: ModelLoader,
        catalog: Catalog,
        *,
        device: str = "auto",
        dtype: str = "auto",
        precision: str = "fast",
        context_size: int = 0,
        compile_step: str = "use",
    ) -> None:
        """`compile_step`: "off" keeps the eager decode step; "use" attaches a compiled step
        already in the cache; "build" also compiles one in a background process when there is
        none (the app does; a one-shot CLI run does not start a minute of compiling)."""
        self._loader = loader
        self._context_size = context_size
        self._compile_step = compile_step
        self._builder: subprocess.Popen | None = None
        self._package: Path | None = None
        self._attach_pending = False
        self._catalog = catalog
        self._device = device
        self._dtype = dtype
        self._precision = precision
        self._loaded: LoadedModel | None = None
        self.last_prompt: Prompt | None = None  # what the last job sent (previews are checked against it)

    @property
    def info(self) -> ModelInfo | None:
        return self._loaded.info if self._loaded else None

    @property
    def loaded(self) -> LoadedModel:
        if self._loaded is None:
            raise ModelLoadError("No model is loaded yet.")
        return self._loaded

    def load(self, spec: ModelSpec) -> ModelInfo:
        choice = choose_device(self._device, self._dtype)
        loaded = self._loader.load(spec, choice, self._precision)  # the old model stays if this fails
        if 0 < self._context_size < loaded.info.context_window:
            loaded.info = replace(loaded.info, context_window=self._context_size)
        self._stop_builder()
        self._attach_pending = False
        self._loaded = loaded
        if loaded.fast is not None and self._compile_step != "off":
            self._prepare_compiled(loaded.fast)
        return loaded.info

    def unload(self) -> None:
        self._stop_builder()
        self._loaded = None

    def close(self) -> None:
        self._stop_builder()

    # -- the compiled decode step ------------------------------------------------------

    def _prepare_compiled(self, fast: FastLlama) -> None:
        why_not = compiled_step.supports(fast)
        if why_not is not None:
            log.info("Decode step not compiled: %s.", why_not)
            return
        self._package = self._loader.compiled_dir / compiled_step.package_name(fast.shape)
        if compiled_step.is_ready(self._package):
            self._attach_pending = True  # in after_load(): the model is usable before that
        elif self._compile_step == "build":
            log.info("Compiling the decode step in the background (once; about a minute).")
            self._builder = compiled_step.start_build(fast, self._package)

    def after_load(self) -> None:
        """Queued by the engine right after a load: attaching the compiled step costs about
        1.5 s in a fresh process (importing Inductor, loading the library), which need not
        delay the moment the model is ready."""
        fast = self._loaded.fast if self._loaded else None
        if self._attach_pending and fast is not None and self._package is not None:
            self._attach(fast, self._package)
        self._attach_pending = False

    def _attach(self, fast: FastLlama, package: Path) -> None:
        try:
            fast.attach(compiled_step.load(fast, package), compiled_step.KV_DTYPE)
        except Exception as exc:  # e.g. a package from another machine: the eager step still works
            log.warning("The compiled decode step could not be loaded (%s); using the eager one.", exc)

    def _poll_builder(self) -> None:
        """Between jobs: take up the compiled step once the background build has finished."""
        builder, fast = self._builder, self._loaded.fast if self._loaded else None
        if builder is None or builder.poll() is None:
            return
        self._builder = None
        package = self._package
        if builder.returncode == 0 and fast is not None and package and compiled_step.is_ready(package):
            self._attach(fast, package)
        else:
            code = builder.returncode
            log.warning("Compiling the decode step failed (exit %s); the eager step stays.", code)

    def _stop_builder(self) -> None:
        if self._builder is not None and self._builder.poll() is None:
            self._builder.terminate()
        self._builder = None

    @property
    def compiled(self) -> bool:
        """Whether decoding runs through the compiled step."""
        fast = self._loaded.fast if self._loaded else None
        return fast is not None and fast.compiled

    def wait_for_compiled(self, timeout: float) -> bool:
        """Wait for a background build (benchmarks and tests), then take it up."""
        if self._builder is not None:
            try:
                self._builder.wait(timeout)
            except subprocess.TimeoutExpired:
                return False
            self._poll_builder()
        return self.compiled

    def render(self, request: Request, catalog: Catalog | None = None) -> Prompt:
        """The exact prompt text; `catalog` previews templates that are not saved yet."""
        catalog = catalog or self._catalog
        op = catalog.validate(request)
        return render(request, op, catalog, self.loaded.tokenizer)

    def set_catalog(self, catalog: Catalog) -> None:
        self._catalog = catalog

    def count_prompt_tokens(self, request: Request) -> tuple[int, bool]:
        return int(self.encode(self.render(request)).shape[1]), True

    def encode(self, prompt: Prompt) -> torch.Tensor:
        tokenizer = self.loaded.tokenizer
        # The chat template already holds its special tokens; a plain prompt gets BOS etc.
        add_special = prompt.form == "completion"
        return tokenizer(prompt.text, add_special_tokens=add_special, return_tensors="pt").input_ids

    @staticmethod
    def _decode_transformers(
        loaded: LoadedModel,
        input_ids: torch.Tensor,
        request: Request,
        prompt: Prompt,
        max_new: int,
        streamer: _CleaningStreamer,
    ) -> tuple[int, ...]:
        """The exact path: `transformers`' own `generate`, which the equality tests compare."""
        device = loaded.info.device
        kwargs: dict[str, Any] = {
            "input_ids": input_ids.to(device),
            "attention_mask": torch.ones_like(input_ids).to(device),
            "max_new_tokens": max_new,
            "min_new_tokens": min(prompt.operation.min_new_tokens, max_new),
            "streamer": streamer,
            "stopping_criteria": StoppingCriteriaList([_StopWhen(streamer.should_stop)]),
        }
        if request.temperature > 0:
            if request.seed is not None:
                torch.manual_seed(request.seed)
            kwargs.update(do_sample=True, temperature=request.temperature, top_p=request.top_p)
        else:
            kwargs.update(do_sample=False, temperature=None, top_p=None, top_k=None)
        kwargs.update(device_generate_options(device))
        try:
            with torch.inference_mode():
                output = loaded.model.generate(**kwargs)
        except Exception as exc:
            raise GenerationError(f"The model failed while generating: {type(exc).__name__}: {exc}") from exc
        return tuple(int(t) for t in output[0, input_ids.shape[1] :].tolist())

    @staticmethod
    def _decode_fast(
        loaded: LoadedModel,
        input_ids: torch.Tensor,
        request: Request,
        prompt: Prompt,
        max_new: int,
        streamer: _CleaningStreamer,
    ) -> tuple[int, ...]:
        """The fast path: the lean decoder, one token per step, stopping checked after each."""
        fast = loaded.fast
        assert fast is not None
        eos_ids = sorted(loaded.eos_ids)
        min_new = min(prompt.operation.min_new_tokens, max_new)
        generator = None
        if request.temperature > 0:
            generator = torch.Generator()
            generator.manual_seed(request.seed if request.seed is not None else torch.seed())
        streamer.put(input_ids)  # the prompt, as generate() would hand it over
        tokens: list[int] = []
        try:
            with torch.inference_mode():
                logits = fast.run(input_ids[0].tolist())
                for step in range(max_new):
                    if step < min_new and eos_ids:
                        logits[eos_ids] = float("-inf")
                    token = _pick(logits, request.temperature, request.top_p, generator)
                    tokens.append(token)
                    streamer.put(torch.tensor([token]))
                    if token in eos_ids or streamer.should_stop() or step + 1 == max_new:
                        break
                    logits = fast.step(token)
        except Exception as exc:
            fast.forget()  # the cache may be half-written
            raise GenerationError(f"The model failed while generating: {type(exc).__name__}: {exc}") from exc
        streamer.end()
        return tuple(tokens)

    def generate(self, request: Request, emit: Callable[[str], None], cancel: threading.Event) -> Result:
        started = time.perf_counter()
        self.after_load()
        self._poll_builder()
        loaded = self.loaded
        prompt = self.render(request)
        self.last_prompt = prompt
        input_ids = self.encode(prompt)
        prompt_tokens = int(input_ids.shape[1])
        window = loaded.info.context_window
        if prompt_tokens >= window:
            raise InputError(
                f"The text is too long for this model: with the instructions it is "
                f"{prompt_tokens:,} tokens, and the model's context window is {window:,} "
                f"tokens. Select a shorter passage."
            )
        wanted = request.max_new_tokens or prompt.operation.max_new_tokens
        max_new = min(wanted, window - prompt_tokens)

        cleaner = OutputCleaner(
            CleanerOptions(
                rewrite_like=prompt.operation.rewrite_like,
                stop_at_blank_line=prompt.stop_at_blank_line,
                strip_leading_space=prompt.strip_leading_space,
                strip_preamble=prompt.operation.name != "continue",
            )
        )
        detokenizer = IncrementalDetokenizer(loaded.tokenizer)
        streamer = _CleaningStreamer(
            detokenizer, cleaner, emit, cancel, stop_on_loop=prompt.operation.stop_on_loop
        )
        reused = loaded.fast.reusable_prefix(input_ids[0].tolist()) if loaded.fast is not None else 0
        if loaded.fast is not None:
            token_ids = self._decode_fast(loaded, input_ids, request, prompt, max_new, streamer)
        else:
            token_ids = self._decode_transformers(loaded, input_ids, request, prompt, max_new, streamer)
        eos_ids = loaded.eos_ids
        if cancel.is_set():
            reason = "cancelled"
        elif streamer.answer_ended:
            reason = "end_of_answer"
        elif streamer.looping:
            reason = "repetition"
        elif token_ids and token_ids[-1] in eos_ids:
            reason = "eos"
        elif len(token_ids) >= max_new and max_new < wanted:
            reason = "context_full"
        else:
            reason = "length"
        first = streamer.first_token_at or time.perf_counter()
        last = streamer.last_token_at or first
        decode_rate = (len(token_ids) - 1) / (last - first) if len(token_ids) > 1 and last > first else 0.0
        return Result(
            job_id=request.job_id,
            text="".join(streamer.delivered),
            raw_text=detokenizer.text,
            prompt_tokens=prompt_tokens,
            new_tokens=len(token_ids),
            ttft_ms=(first - started) * 1000.0,
            tokens_per_s=decode_rate,
            stop_reason=reason,
            model=loaded.info.name,
            device=loaded.info.device,
            token_ids=token_ids,
            reused_tokens=reused,
        )
