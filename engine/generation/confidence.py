"""How sure the model was of each word of a finished answer, and what else it weighed.

A writer deciding whether to accept a suggestion should see where the model was
guessing. The answer shown may come from judged edits, a sampled candidate or a greedy
one, so the probabilities are not taken from the decoding loop: the prompt's tokens (as
the answer was decoded after them) and the final answer's tokens are read in one forward
pass, and each answer token's probability is what the model gives it there, the same
number a direct `transformers` forward pass gives. A word's probability is the product
of its tokens'; its alternatives are the model's likeliest other tokens where it begins.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import torch

from engine.generation.word_confidence import ALTERNATIVES, WORD, WordConfidence

# Token ids and a first position in, log-probabilities out: row j is the distribution of
# token first + j + 1, for every token after `first`.
Forward = Callable[[list[int], int], torch.Tensor]


def answer_tokens(tokenizer: Any, answer: str) -> tuple[list[int], list[tuple[int, int]]]:
    """The answer's token ids and each token's character span in it."""
    encoded = tokenizer(answer, add_special_tokens=False, return_offsets_mapping=True)
    return list(encoded.input_ids), [tuple(span) for span in encoded.offset_mapping]


def confidence(forward: Forward, tokenizer: Any, prompt_ids: list[int], answer: str) -> list[WordConfidence]:
    """The answer's words with their probabilities and the first token's alternatives."""
    ids, spans = answer_tokens(tokenizer, answer)
    if not ids or not prompt_ids:
        return []
    rows = forward(prompt_ids + ids, len(prompt_ids) - 1)  # one row per answer token
    chosen = rows.gather(1, torch.tensor(ids)[:, None])[:, 0].exp().tolist()
    words = []
    for match in WORD.finditer(answer):
        mine = [k for k, (a, b) in enumerate(spans) if a < match.end() and b > match.start()]
        if not mine:
            continue
        first = mine[0]
        others: list[tuple[str, float]] = []
        top = torch.topk(rows[first], ALTERNATIVES + 1)
        for logprob, ident in zip(top.values.tolist(), top.indices.tolist(), strict=True):
            text = tokenizer.decode([ident])
            if ident != ids[first] and text.strip() and len(others) < ALTERNATIVES:
                others.append((text, math.exp(logprob)))
        p = math.prod(chosen[k] for k in mine)
        words.append(WordConfidence(match.start(), match.end(), p, tuple(others)))
    return words
