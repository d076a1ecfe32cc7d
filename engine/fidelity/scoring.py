"""How likely the model finds a piece of text: the proofreader's judge.

Choosing between "their" and "there", or between a dictionary's candidates for a typo,
is a comparison of whole continuations: the log-probability of the rest of the sentence
with each candidate in place, after the same prefix. Even a 135M model is a good judge of
that, and judging never lets it rewrite anything. The prefix runs once; each candidate
runs on top of its cached keys and values.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

import torch


class Scorer(Protocol):
    tokenizer: Any

    def score(self, prefix: str, continuations: Sequence[str]) -> list[float]:
        """The log-probability of each continuation after `prefix` (natural log, summed)."""
        ...

    def next_token_logprobs(self, text: str) -> tuple[list[tuple[int, int]], torch.Tensor]:
        """Character offsets of each token of `text`, and the log-probabilities of the next
        token at every position ([tokens, vocab])."""
        ...


def _start_ids(tokenizer: Any) -> list[int]:
    """What a document starts with in pretraining: `<|endoftext|>` where the vocabulary has
    it (SmolLM2, GPT-2 kin), else the BOS token."""
    # One lookup, not `get_vocab()`: that builds the whole vocabulary as a dict on every
    # call (about 20 ms holding the GIL, which stalled the window while a review ran).
    ident = tokenizer.convert_tokens_to_ids("<|endoftext|>")
    if isinstance(ident, int) and tokenizer.convert_ids_to_tokens(ident) == "<|endoftext|>":
        return [ident]
    return [tokenizer.bos_token_id] if tokenizer.bos_token_id is not None else []


def _aligned(logprobs: torch.Tensor, has_start: bool) -> torch.Tensor:
    """Rows aligned to tokens: row k is the distribution token k was drawn from."""
    if has_start:
        return logprobs[:-1]
    return torch.cat([torch.zeros_like(logprobs[:1]), logprobs[:-1]])


def _split_ids(tokenizer: Any, prefix: str, continuation: str) -> tuple[list[int], list[int]]:
    """Token ids of the prefix and of the continuation as the whole text tokenizes."""
    start = _start_ids(tokenizer)
    prefix_ids = start + tokenizer(prefix, add_special_tokens=False).input_ids if prefix else start
    whole = start + tokenizer(prefix + continuation, add_special_tokens=False).input_ids
    if whole[: len(prefix_ids)] == prefix_ids:
        return prefix_ids, whole[len(prefix_ids) :]
    # The boundary fell inside a token: score the continuation's own tokens after the prefix.
    return prefix_ids, tokenizer(continuation, add_special_tokens=False).input_ids


class FastScorer:
    """Scores with the lean decoder (engine/fastpath/decoder.py), reusing its KV cache."""

    def __init__(self, fast: Any, tokenizer: Any) -> None:
        self._fast = fast
        self.tokenizer = tokenizer

    @torch.inference_mode()
    def score(self, prefix: str, continuations: Sequence[str]) -> list[float]:
        fast, scores = self._fast, []
        prefix_ids: list[int] = []
        base = torch.empty(0)
        for continuation in continuations:
            ids, tail = _split_ids(self.tokenizer, prefix, continuation)
            if ids != prefix_ids or not base.numel():
                prefix_ids = ids
                base = torch.log_softmax(fast.run(prefix_ids), dim=-1)
            total = float(base[tail[0]]) if tail else 0.0
            if len(tail) > 1:
                logits = fast.forward(tail[:-1], len(prefix_ids), every_position=True)
                fast.cached = list(prefix_ids)  # what lies beyond is scratch
                logprobs = torch.log_softmax(logits, dim=-1)
                total += float(logprobs.gather(1, torch.tensor(tail[1:])[:, None]).sum())
            scores.append(total)
        return scores

    @torch.inference_mode()
    def next_token_logprobs(self, text: str) -> tuple[list[tuple[int, int]], torch.Tensor]:
        encoded = self.tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
        start = _start_ids(self.tokenizer)
        logits = self._fast.forward(start + encoded.input_ids, 0, every_position=True)
        self._fast.forget()
        return list(encoded.offset_mapping), _aligned(torch.log_softmax(logits, -1), bool(start))


class ModelScorer:
    """Scores with a `transformers` causal LM (the exact path, GPUs)."""

    def __init__(self, model: Any, tokenizer: Any) -> None:
        self._model = model
        self.tokenizer = tokenizer

    def _logprobs(self, ids: list[int]) -> torch.Tensor:
        device = self._model.device
        logits = self._model(torch.tensor([ids], device=device)).logits[0].float().cpu()
        return torch.log_softmax(logits, dim=-1)

    @torch.inference_mode()
    def score(self, prefix: str, continuations: Sequence[str]) -> list[float]:
        scores = []
        for continuation in continuations:
            ids, tail = _split_ids(self.tokenizer, prefix, continuation)
            if not tail:
                scores.append(0.0)
                continue
            logprobs = self._logprobs(ids + tail)
            picked = logprobs[len(ids) - 1 : len(ids) + len(tail) - 1].gather(1, torch.tensor(tail)[:, None])
            scores.append(float(picked.sum()))
        return scores

    @torch.inference_mode()
    def next_token_logprobs(self, text: str) -> tuple[list[tuple[int, int]], torch.Tensor]:
        encoded = self.tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
        start = _start_ids(self.tokenizer)
        logprobs = self._logprobs(start + encoded.input_ids)
        return list(encoded.offset_mapping), _aligned(logprobs, bool(start))
