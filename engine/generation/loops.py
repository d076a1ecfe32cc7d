"""Turning a prompt into tokens: the two decoding loops, built from the same parts.

The fast path (the lean decoder) and the exact path (`transformers`' `generate`) take the
same processors and the same `Stopper` (engine/generation/decoding.py), and hand every token to the
same cleaning streamer, so sampling, stopping and what reaches the writer mean the same
on both. The fast path can also check copy drafts (`copy=True`): guesses taken from the
source text, verified in one forward pass, kept only where they are what it would have
picked anyway.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch
from transformers import StoppingCriteriaList
from transformers.generation.streamers import BaseStreamer

from engine.errors import GenerationError
from engine.generation.decoding import (
    Stopper,
    StopReason,
    build_processors,
    choose,
    copy_draft,
    job_generator,
)
from engine.generation.detokenizer import IncrementalDetokenizer
from engine.generation.repetition import RepetitionGuard
from engine.models.loader import LoadedModel
from engine.prompting.cleaning import OutputCleaner


class CleaningStreamer(BaseStreamer):
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
        self.cancel = cancel
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
        if delta and not self.cancel.is_set():
            self.delivered.append(delta)
            self._emit(delta)

    @property
    def answer_ended(self) -> bool:
        return self._cleaner.stopped

    @property
    def looping(self) -> bool:
        return self._guard is not None and self._guard.looping

    def should_stop(self) -> bool:
        return self.cancel.is_set() or self._cleaner.stopped or self.looping


def device_generate_options(device: str, *, compiled: bool = False) -> dict[str, Any]:
    """`generate`'s options for a device. On a CUDA GPU a static KV cache lets `generate`
    compile its decoding step: 6-7 times faster decoding on an H200 (350 against 50
    tokens/s), but each of the first prompt lengths costs about 30 s of compiling, in
    every new process. An editor cannot make the writer wait that long for a suggestion,
    so the engine decodes eagerly (first token in 25-35 ms) and only the GPU benchmark
    asks for the compiled variant."""
    if device == "cuda" and compiled:
        return {"cache_implementation": "static"}
    return {}


@dataclass(frozen=True)
class Settings:
    """How one answer is decoded (plain data, from the request and its operation)."""

    max_new: int
    wanted: int
    min_new: int
    temperature: float
    top_p: float
    seed: int | None
    copy: bool = False  # check copy drafts from the source (greedy fast path only)
    eager: bool = False  # the eager step even with a compiled one attached (copy drafts imply it)
    pull: tuple[tuple[tuple[int, ...], ...], ...] = ()  # token spellings of facts to favour
    pull_bias: float = 0.0
    never: tuple[int, ...] = ()  # tokens never written (Expand's additions: no digits)


@dataclass(frozen=True)
class Generation:
    text: str
    raw_text: str
    token_ids: tuple[int, ...]
    reason: StopReason
    first_token_at: float | None
    last_token_at: float | None
    drafted: int = 0  # tokens that came from accepted copy drafts

    @property
    def decode_rate(self) -> float:
        first, last = self.first_token_at, self.last_token_at
        if len(self.token_ids) > 1 and first is not None and last is not None and last > first:
            return (len(self.token_ids) - 1) / (last - first)
        return 0.0


def _stopper(
    prompt_length: int, settings: Settings, eos_ids: set[int], streamer: CleaningStreamer
) -> Stopper:
    return Stopper(
        prompt_length=prompt_length,
        max_new=settings.max_new,
        wanted=settings.wanted,
        eos_ids=sorted(eos_ids),
        cancel=streamer.cancel,
        answer_ended=lambda: streamer.answer_ended,
        looping=lambda: streamer.looping,
    )


def decode(
    loaded: LoadedModel,
    input_ids: torch.Tensor,
    settings: Settings,
    cleaner: OutputCleaner,
    emit: Callable[[str], None],
    cancel: threading.Event,
    *,
    stop_on_loop: bool = True,
    source_ids: list[int] | None = None,
) -> Generation:
    """One answer, streamed through `emit` as clean text while it is decoded."""
    detokenizer = IncrementalDetokenizer(loaded.tokenizer)
    streamer = CleaningStreamer(detokenizer, cleaner, emit, cancel, stop_on_loop=stop_on_loop)
    prompt_length = int(input_ids.shape[1])
    stopper = _stopper(prompt_length, settings, loaded.eos_ids, streamer)
    generator = job_generator(settings.temperature, settings.seed)
    processors = build_processors(
        prompt_length=prompt_length,
        min_new_tokens=min(settings.min_new, settings.max_new),
        eos_ids=sorted(loaded.eos_ids),
        temperature=settings.temperature,
        top_p=settings.top_p,
        generator=generator,
        pull=settings.pull,
        pull_bias=settings.pull_bias,
        never=settings.never,
    )
    drafted = 0
    try:
        if loaded.fast is not None:
            # Copy drafts are checked with the eager step's numbers; a compiled step, once
            # attached, decodes faster than drafts verified that way, so it is used instead.
            compiled = loaded.fast.compiled and not settings.eager
            source = source_ids if settings.copy and settings.temperature <= 0 and not compiled else None
            eager = settings.eager or source is not None
            tokens, drafted = _decode_fast(loaded, input_ids, processors, stopper, streamer, source, eager)
        else:
            tokens = _decode_transformers(loaded, input_ids, settings, processors, stopper, streamer)
    except GenerationError:
        raise
    except Exception as exc:
        if loaded.fast is not None:
            loaded.fast.forget()  # the cache may be half-written
        raise GenerationError(f"The model failed while generating: {type(exc).__name__}: {exc}") from exc
    return Generation(
        text="".join(streamer.delivered),
        raw_text=detokenizer.text,
        token_ids=tuple(tokens),
        reason=stopper.final(tokens),
        first_token_at=streamer.first_token_at,
        last_token_at=streamer.last_token_at,
        drafted=drafted,
    )


def _decode_transformers(
    loaded: LoadedModel,
    input_ids: torch.Tensor,
    settings: Settings,
    processors: Any,
    stopper: Stopper,
    streamer: CleaningStreamer,
) -> list[int]:
    """The exact path: `transformers`' own `generate`, which the equality tests compare.
    Its picks are greedy over our processors (a seeded draw is one of them)."""
    device = loaded.info.device
    kwargs: dict[str, Any] = {
        "input_ids": input_ids.to(device),
        "attention_mask": torch.ones_like(input_ids).to(device),
        "max_new_tokens": settings.max_new,
        "streamer": streamer,
        "logits_processor": processors,
        "stopping_criteria": StoppingCriteriaList([stopper]),
        "do_sample": False,
        "temperature": None,
        "top_p": None,
        "top_k": None,
    }
    kwargs.update(device_generate_options(device))
    assert loaded.model is not None  # the exact loop runs on transformers' model
    with torch.inference_mode():
        output = loaded.model.generate(**kwargs)
    return [int(t) for t in output[0, input_ids.shape[1] :].tolist()]


def _decode_fast(
    loaded: LoadedModel,
    input_ids: torch.Tensor,
    processors: Any,
    stopper: Stopper,
    streamer: CleaningStreamer,
    source: list[int] | None,
    eager: bool,
) -> tuple[list[int], int]:
    """The fast path: the lean decoder, the stopper checked after every token."""
    fast = loaded.fast
    assert fast is not None
    prompt = input_ids[0].tolist()
    history = torch.tensor([prompt + [0] * (stopper.max_new + 1)])
    length = len(prompt)
    streamer.put(input_ids)  # the prompt, as generate() would hand it over
    tokens: list[int] = []
    drafted = 0
    draft_size = 8

    def take(token: int) -> bool:
        """Record one chosen token; True when decoding must stop."""
        nonlocal length
        history[0, length] = token
        length += 1
        tokens.append(token)
        streamer.put(torch.tensor([token]))
        return stopper.check(tokens) is not None

    with torch.inference_mode():
        logits = fast.run(prompt)
        while True:
            token = choose(processors, history[:, :length], logits)
            if take(token):
                break
            draft = copy_draft(tokens, source, size=draft_size) if source else []
            draft = draft[: max(0, stopper.max_new - len(tokens))]
            if not draft:
                logits = fast.step(token, eager=eager)
                continue
            cached = len(fast.cached)
            verified = fast.extend([token, *draft])  # logits after the token and each draft
            kept = 0
            stop = False
            for index, guess in enumerate(draft):
                pick = choose(processors, history[:, :length], verified[index])
                if pick != guess:
                    break
                kept += 1
                if take(guess):
                    stop = True
                    break
            drafted += kept
            fast.truncate(cached + 1 + kept)
            draft_size = min(16, draft_size * 2) if kept == len(draft) else max(2, kept + 1)
            if stop:
                break
            logits = verified[kept]
    streamer.end()
    return tokens, drafted
