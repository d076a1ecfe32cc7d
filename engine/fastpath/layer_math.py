"""The arithmetic of one decoder layer, written once for every step that runs it.

The prompt pass (`FastLlama.forward`), the eager decode step (`_decode_one`), the rows of a
copy draft (`_decode_rows`) and the AOTInductor step (`compiled_step`) differ in how they
hold weights and caches, not in what a layer computes. They share these functions, so a
change to the architecture (a bias, another activation) is made in one place. The
native C step (native_step.c) is checked against them by its tests.

Products are passed in as callables: each step multiplies its own way (4-bit kernels,
int8 tiles, floats), and the functions stay plain torch, which AOTInductor can trace.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
import torch.nn.functional as F

Product = Callable[[torch.Tensor], torch.Tensor]


def norm(x: torch.Tensor, weight: torch.Tensor, hidden: int, eps: float) -> torch.Tensor:
    return F.rms_norm(x, (hidden,), weight, eps)


def add_bias(x: torch.Tensor, bias: torch.Tensor | None) -> torch.Tensor:
    """Qwen2's q/k/v biases, added before the rotary embedding as `transformers` does."""
    return x if bias is None else x + bias


def rotate_half(x: torch.Tensor) -> torch.Tensor:
    """cat(-x2, x1) along the last dimension: no arithmetic, so the same bits whatever the
    number of rows (a matrix product by a rotation matrix is not)."""
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


def rotary(qk: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
    """The rotary position embedding of queries and keys (side by side in one tensor)."""
    return qk * cos + rotate_half(qk) * sin


def attend_token(q: torch.Tensor, keys: torch.Tensor, values: torch.Tensor, scale: float) -> torch.Tensor:
    """One token's attention: q [kv_heads, group, dim] over keys and values [kv_heads, n,
    dim]. Two small batched products beat the general kernel for a single row."""
    scores = torch.bmm(q, keys.transpose(1, 2))
    return torch.bmm(torch.softmax(scores * scale, dim=-1), values)


def mlp(
    x: torch.Tensor, post_norm: torch.Tensor, gate_up: Product, down: Product, hidden: int, eps: float
) -> torch.Tensor:
    """The layer's second half with its residual: x + down(silu(gate) * up)."""
    gate, up = gate_up(norm(x, post_norm, hidden, eps)).chunk(2, dim=-1)
    return x + down(F.silu(gate) * up)
