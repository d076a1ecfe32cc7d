"""The plain data that crosses the engine thread: requests, results and stream events.

All of it is frozen dataclasses of strings and numbers, so no widget or document ever
reaches the engine, and a late event can be matched to its job by id and dropped.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from engine.fidelity.inclusive import Flag
    from engine.fidelity.summaries import SummarySentence
    from engine.fidelity.verdict import Verdict
    from engine.generation.word_confidence import WordConfidence

_job_ids = itertools.count(1)


def next_job_id() -> int:
    return next(_job_ids)


@dataclass(frozen=True)
class Request:
    """One writing operation on one piece of text.

    `text` is the selection (or, for `continue`, the text before the cursor; for `draft`,
    the topic). `before`/`after` are optional surrounding context.
    """

    operation: str
    text: str
    style: str | None = None
    language: str | None = None
    instruction: str | None = None
    before: str = ""
    after: str = ""
    max_new_tokens: int | None = None
    temperature: float = 0.0
    top_p: float = 0.95
    seed: int | None = None
    keep: str = ""  # filled by the engine: the facts a rewrite must keep, as a sentence
    confidence: bool = False  # also read the finished answer for each word's probability
    alternatives: int = 0  # also find up to this many clean answers in all (the chosen one first)
    answer_prefix: str = ""  # the answer starts with this (a word the writer chose); decoding goes on
    job_id: int = field(default_factory=next_job_id)


@dataclass(frozen=True)
class Alternative:
    """One answer the writer may cycle to, with the verdict that let it be offered."""

    text: str
    verdict: Verdict | None = None
    confidence: tuple[WordConfidence, ...] = ()  # its words' probabilities, when they were asked for

    def as_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "text": self.text,
            "verdict": self.verdict.as_json() if self.verdict is not None else None,
        }
        if self.confidence:
            data["confidence"] = [word.as_json() for word in self.confidence]
        return data


@dataclass(frozen=True)
class Result:
    """How a job ended, with its counts and timings."""

    job_id: int
    text: str
    raw_text: str
    prompt_tokens: int
    new_tokens: int
    ttft_ms: float
    tokens_per_s: float
    stop_reason: str  # a `StopReason` (engine/generation/decoding.py): "eos", "length", "cancelled", ...
    model: str
    device: str
    token_ids: tuple[int, ...] = ()
    reused_tokens: int = 0  # prompt tokens whose keys and values were already cached
    missing_facts: tuple[str, ...] = ()  # numbers and names of the source the answer lacks
    candidates: int = 1  # how many answers were decoded to choose this one
    drafted_tokens: int = 0  # tokens accepted from copy drafts
    edits: tuple[str, ...] = ()  # proofreading: each change as "before→after"
    verdict: Verdict | None = None  # engine/fidelity/verdict.py: what the answer drops, moves, adds...
    sources: tuple[SummarySentence, ...] = ()  # summaries: each sentence and the source spans it came from
    notices: tuple[str, ...] = ()  # why an earlier answer was replaced ("the first answer added a figure")
    warning: str = ""  # what the writer should know before accepting (a language the model does not know)
    flags: tuple[Flag, ...] = ()  # proofreading: wording that excludes or stereotypes, offered, never applied
    confidence: tuple[WordConfidence, ...] = ()  # each word's probability, when the request asked for it
    alternatives: tuple[Alternative, ...] = ()  # when asked for: the answer, then other clean ones

    @property
    def cancelled(self) -> bool:
        return self.stop_reason == "cancelled"

    @classmethod
    def empty(cls, job_id: int, info: ModelInfo | None, stop_reason: str) -> Result:
        """A job with no text yet: one shut down before it ran, or one to fill in."""
        return cls(
            job_id=job_id,
            text="",
            raw_text="",
            prompt_tokens=0,
            new_tokens=0,
            ttft_ms=0.0,
            tokens_per_s=0.0,
            stop_reason=stop_reason,
            model=info.name if info else "",
            device=info.device if info else "",
        )


@dataclass(frozen=True)
class ModelInfo:
    """What was loaded, where and how: plain data the UI and the CLI can show."""

    name: str
    kind: str
    device: str
    dtype: str
    device_reason: str
    device_fallback: bool
    context_window: int
    parameters: int
    has_chat_template: bool
    load_seconds: float
    cache: str  # "hit", "built", "rebuilt" or "none"
    precision: str = ""  # e.g. "fast (int4 layers, int8 output)" or "exact (float32)"
    precision_note: str = ""  # why the fast decoder is not used, when it is not
    warning: str = ""  # something the writer should know, e.g. unencrypted http to a server
    languages: tuple[str, ...] = ()  # codes of the languages it writes well; () when not known
    memory_bytes: int = 0  # what the loaded weights actually take (0 when not known: servers)


class Revision(str):
    """A delta that replaces everything sent before it: a better candidate was chosen
    after the first one had streamed (engine/fidelity/rewriting.py)."""

    __slots__ = ()


class Notice(str):
    """Not text: a message about the answer while it is made ("the first answer added a
    figure; trying again…"). The window shows it in the suggestion bar, the CLI on
    standard error; it never becomes part of the suggestion."""

    __slots__ = ()


@dataclass(frozen=True)
class Chunk:
    job_id: int
    text: str


@dataclass(frozen=True)
class Done:
    job_id: int
    result: Result


@dataclass(frozen=True)
class Failed:
    job_id: int
    error: Exception


Event = Chunk | Done | Failed


def is_unchanged(source: str, text: str) -> bool:
    """The writer's own text back, spacing aside: no rewrite (or "already reads formal").

    It lives here, beside the plain job data, because the window asks it too and must not
    import the torch-side modules before the model loads."""
    return " ".join(text.split()) == " ".join(source.split())
