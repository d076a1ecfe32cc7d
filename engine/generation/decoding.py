"""One meaning for sampling and stopping, whichever loop produces the tokens.

Both decoding paths (the lean decoder's own loop and `transformers`' `generate`) take the
same `LogitsProcessorList` and the same `Stopper`: the processors hold the minimum length,
temperature, top-p and the seeded draw (with the job's own `torch.Generator`, never the
global one), so a greedy pick of their output is the choice on either path. The stopper
is one `StoppingCriteria` that records why it stopped, as a `StopReason`.

Copy drafts (`copy_draft`) serve answers that mostly repeat their source (rewrites): the
next tokens are guessed by finding the newest few tokens in the source and taking what
followed them there, and the model checks the whole guess in one forward pass, as
`prompt_lookup_num_tokens` does in `generate`. Only the tokens the model would have
chosen itself are kept, so the answer is the same, sooner.
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Callable, Sequence

import torch
from transformers import (
    LogitsProcessor,
    LogitsProcessorList,
    StoppingCriteria,
    TemperatureLogitsWarper,
    TopPLogitsWarper,
)


class StopReason(enum.StrEnum):
    EOS = "eos"
    LENGTH = "length"
    END_OF_ANSWER = "end_of_answer"
    REPETITION = "repetition"
    CANCELLED = "cancelled"
    CONTEXT_FULL = "context_full"


class NoEndBefore(LogitsProcessor):
    """No end-of-text token before the answer has `min_new` tokens: transformers'
    `MinNewTokensLengthLogitsProcessor`, without building a mask of the whole vocabulary at
    every step (a fifth of a millisecond per token on a 2-core machine)."""

    def __init__(self, prompt_length: int, min_new: int, eos_ids: Sequence[int]) -> None:
        self.prompt_length = prompt_length
        self.min_new = min_new
        self.eos_ids = sorted(set(eos_ids))

    def __call__(self, input_ids: torch.Tensor, scores: torch.Tensor) -> torch.Tensor:
        if input_ids.shape[-1] - self.prompt_length >= self.min_new:
            return scores
        scores = scores.clone()
        scores[:, self.eos_ids] = float("-inf")
        return scores


class DrawWithGenerator(LogitsProcessor):
    """Samples one token with the job's generator and leaves only it standing, so that a
    greedy pick downstream (ours or `generate`'s) takes the sampled token."""

    def __init__(self, generator: torch.Generator) -> None:
        self.generator = generator

    def __call__(self, input_ids: torch.Tensor, scores: torch.Tensor) -> torch.Tensor:
        # The draw happens where the generator lives (the CPU), so the logits of a GPU
        # model come over for it and a seed gives the same draw on every device.
        probs = torch.softmax(scores.float(), dim=-1).to(self.generator.device)
        chosen = torch.multinomial(probs, 1, generator=self.generator).to(scores.device)
        out = torch.full_like(scores, float("-inf"))
        return out.scatter_(-1, chosen, 0.0)


QUIET_START = 3  # tokens at the answer's start where no fact is pulled in
QUIET_AFTER_FACT = 3  # tokens after a fact where no other fact is started


class PullTowards(LogitsProcessor):
    """Adds `bias` to the next token of each wanted token sequence the answer does not hold
    yet: its first token, or the one that completes a part already written. Rewrites use
    it on their later tries, so the facts the greedy answer lost (each fact's tokens, in a
    few spellings) become likelier without being forced where the model has no room."""

    def __init__(self, prompt_length: int, wanted: Sequence[Sequence[Sequence[int]]], bias: float) -> None:
        self.prompt_length = prompt_length
        self.wanted = [[list(form) for form in forms if form] for forms in wanted]
        self.bias = bias

    def next_tokens(self, new: Sequence[int]) -> set[int]:
        """The tokens to favour after `new`: one per spelling of each fact still absent.
        A fact is not started in the answer's first tokens or right after another fact
        ended: there a pull writes lists of facts ("Maria, Tom, nine.") instead of text."""
        starts: set[int] = set()
        continuations: set[int] = set()
        for forms in self.wanted:
            if any(_contains(new, form) for form in forms):
                continue
            for form in forms:
                done = next(
                    (k for k in range(len(form) - 1, 0, -1) if list(new[len(new) - k :]) == form[:k]),
                    0,
                )
                (continuations if done else starts).add(form[done])
        if continuations:  # a fact half written is finished before another is begun
            return continuations
        recent = [form for forms in self.wanted for form in forms]
        may_start = len(new) >= QUIET_START and not any(
            _contains(new[-(len(form) + QUIET_AFTER_FACT - 1) :], form) for form in recent
        )
        return starts if may_start else set()

    def __call__(self, input_ids: torch.Tensor, scores: torch.Tensor) -> torch.Tensor:
        favoured = self.next_tokens(input_ids[0, self.prompt_length :].tolist())
        if favoured:
            scores = scores.clone()
            scores[:, sorted(favoured)] += self.bias
        return scores


class Never(LogitsProcessor):
    """Tokens the answer may not write at all: Expand's added sentences write no digit,
    so they cannot add a figure the writer never gave."""

    def __init__(self, token_ids: Sequence[int]) -> None:
        self.token_ids = sorted(token_ids)

    def __call__(self, input_ids: torch.Tensor, scores: torch.Tensor) -> torch.Tensor:
        scores = scores.clone()
        scores[:, self.token_ids] = float("-inf")
        return scores


def _contains(sequence: Sequence[int], part: Sequence[int]) -> bool:
    n = len(part)
    return any(list(sequence[i : i + n]) == list(part) for i in range(len(sequence) - n + 1))


def job_generator(temperature: float, seed: int | None) -> torch.Generator | None:
    """The job's own random source: seeded when the request says, fresh otherwise."""
    if temperature <= 0:
        return None
    generator = torch.Generator()
    generator.manual_seed(seed if seed is not None else int(torch.seed()))
    return generator


def build_processors(
    *,
    prompt_length: int,
    min_new_tokens: int,
    eos_ids: Sequence[int],
    temperature: float,
    top_p: float,
    generator: torch.Generator | None,
    pull: Sequence[Sequence[Sequence[int]]] = (),
    pull_bias: float = 0.0,
    never: Sequence[int] = (),
) -> LogitsProcessorList:
    processors = LogitsProcessorList()
    if never:
        processors.append(Never(never))
    if pull and pull_bias:
        processors.append(PullTowards(prompt_length, pull, pull_bias))
    if min_new_tokens > 0 and eos_ids:
        processors.append(NoEndBefore(prompt_length, min_new_tokens, eos_ids))
    if temperature > 0 and generator is not None:
        processors.append(TemperatureLogitsWarper(temperature))
        if top_p < 1.0:
            processors.append(TopPLogitsWarper(top_p))
        processors.append(DrawWithGenerator(generator))
    return processors


def choose(processors: LogitsProcessorList, input_ids: torch.Tensor, logits: torch.Tensor) -> int:
    """The next token: the greedy pick of the processed scores (a draw, when sampling)."""
    scores = logits.float().reshape(1, -1)
    for processor in processors:  # as `LogitsProcessorList` does, without its per-call signature check
        scores = processor(input_ids, scores)
    return int(torch.argmax(scores, dim=-1)[0])


class Stopper(StoppingCriteria):
    """Checked after every token on both paths; the first reason that holds is kept."""

    def __init__(
        self,
        *,
        prompt_length: int,
        max_new: int,
        wanted: int,
        eos_ids: Sequence[int],
        cancel: threading.Event,
        answer_ended: Callable[[], bool] = lambda: False,
        looping: Callable[[], bool] = lambda: False,
    ) -> None:
        self.prompt_length = prompt_length
        self.max_new = max_new
        self.wanted = wanted
        self.eos_ids = frozenset(eos_ids)
        self.cancel = cancel
        self.answer_ended = answer_ended
        self.looping = looping
        self.reason: StopReason | None = None

    def check(self, new_tokens: Sequence[int]) -> StopReason | None:
        if self.reason is not None:
            return self.reason
        if self.cancel.is_set():
            self.reason = StopReason.CANCELLED
        elif self.answer_ended():
            self.reason = StopReason.END_OF_ANSWER
        elif self.looping():
            self.reason = StopReason.REPETITION
        elif new_tokens and new_tokens[-1] in self.eos_ids:
            self.reason = StopReason.EOS
        elif len(new_tokens) >= self.max_new:
            self.reason = StopReason.CONTEXT_FULL if self.max_new < self.wanted else StopReason.LENGTH
        return self.reason

    def __call__(self, input_ids: torch.Tensor, scores: torch.Tensor, **kwargs: object) -> torch.Tensor:
        stop = self.check(input_ids[0, self.prompt_length :].tolist()) is not None
        return torch.full((input_ids.shape[0],), stop, dtype=torch.bool, device=input_ids.device)

    def final(self, new_tokens: Sequence[int]) -> StopReason:
        """Why the loop ended, also when `generate` stopped on its own (EOS, length)."""
        if self.cancel.is_set():  # a cancel after the last check still wins
            return StopReason.CANCELLED
        reason = self.check(new_tokens)
        return reason if reason is not None else StopReason.LENGTH


def copy_draft(
    history: Sequence[int], source: Sequence[int], *, longest: int = 4, size: int = 8
) -> list[int]:
    """Tokens that followed the newest `n`-gram of `history` where it last occurs in
    `source` (n from `longest` down to 2); empty when nothing matches."""
    for n in range(min(longest, len(history)), 1, -1):
        tail = list(history[-n:])
        for start in range(len(source) - n - 1, -1, -1):
            if source[start] == tail[0] and list(source[start : start + n]) == tail:
                follow = list(source[start + n : start + n + size])
                if follow:
                    return follow
    return []
