"""A lean decoder for Llama-architecture models (SmolLM2 and its kin), in plain torch.

`transformers`' generic forward spends most of a small model's decode step on Python
and on thousands of small tensor operations, not on arithmetic. This module runs the
same network with a few fused operations per layer: one matrix for Q, K and V, one for
gate and up, a preallocated KV cache written in place, and weight-only int8 matrices
(`torch.ops.aten._weight_int8pack_mm`: int8 weights with a float scale per output row,
float activations) so each token reads a quarter of the bytes fp32 would. With
`int8=False` it computes what `transformers` computes (the tests compare logits).

It also remembers which tokens its KV cache holds, so a prompt that starts with the
same tokens as the previous one (the shared system prompt; Continue at the same place)
only runs the new part. Once a compiled decode step is attached (engine/fastpath/native_step.py,
or engine/fastpath/compiled_step.py where no C compiler is at hand) tokens are decoded through it,
and the cache holds bfloat16.
"""

from __future__ import annotations

import functools
import json
from dataclasses import asdict, dataclass
from typing import Any, Protocol

import torch
import torch.nn.functional as F

from engine.fastpath import layer_math
from engine.fastpath.threads import fewer_threads


class Q4Kernels(Protocol):
    """The native 4-bit products (engine/fastpath/native_step.py's `Kernels`), as the decoder
    uses them: a protocol, so the decoder never imports the kernels' module."""

    def matmul_q4(self, codes: torch.Tensor, scales: torch.Tensor, x: torch.Tensor) -> torch.Tensor: ...

    def matmul_q4_int8(
        self, codes: torch.Tensor, scales: torch.Tensor, x: torch.Tensor
    ) -> torch.Tensor | None: ...


class Step(Protocol):
    """A compiled decode step (native or AOTInductor): one token's embedding in, logits out,
    its keys and values written into the caches at `position`."""

    def __call__(
        self,
        x: torch.Tensor,
        position: int,
        cos: torch.Tensor,
        sin: torch.Tensor,
        keys: torch.Tensor,
        values: torch.Tensor,
        /,
    ) -> torch.Tensor: ...

    def preferred_threads(self) -> int | None:
        """The core count this step finds fastest now, or None for all of them."""
        ...


CACHE_CHUNK = 512
PREFILL_MIN_ROWS = 48  # fewer new tokens than this keep the decode kernels (see engine/fastpath/cpu_plan.py)
# The products whose inputs take int8 rounding in an "int8" prefill. Perplexity on held-out
# prose (583 tokens, bundled model): 1.0014 of float32 with these two, 1.0056 with all four;
# the q/k/v product (attention scores) and the down product (SiLU's outliers) stay float32.
INT8_PRODUCTS = frozenset({"out", "gate_up"})


@dataclass(frozen=True)
class Shape:
    layers: int
    hidden: int
    heads: int
    kv_heads: int
    head_dim: int
    eps: float
    rope_theta: float
    context: int
    vocab: int


# Qwen2 is Llama with biases on the query, key and value projections (and a larger rope
# theta, which the shape carries); the layer arithmetic is otherwise the same.
ARCHITECTURES = ("llama", "qwen2")


def supports(model: Any) -> str | None:
    """None if the fast decoder can run `model`, else why not (reported to the writer)."""
    config = model.config
    if getattr(config, "model_type", "") not in ARCHITECTURES:
        return f"the fast decoder supports Llama and Qwen2 models, not {config.model_type!r}"
    if getattr(config, "use_sliding_window", False):
        return "sliding-window attention is not supported by the fast decoder"
    rope = getattr(config, "rope_parameters", None) or getattr(config, "rope_scaling", None) or {}
    if rope.get("rope_type", "default") != "default":
        return f"rope scaling {rope.get('rope_type')!r} is not supported by the fast decoder"
    attention = model.model.layers[0].self_attn
    if attention.o_proj.bias is not None or getattr(config, "mlp_bias", False):
        return "biases outside the query, key and value projections are not supported by the fast decoder"
    if getattr(config, "hidden_act", "silu") != "silu":
        return "only SiLU MLPs are supported by the fast decoder"
    return None


def _shape(model: Any) -> Shape:
    config = model.config
    rope = getattr(config, "rope_parameters", None) or {}
    theta = rope.get("rope_theta", getattr(config, "rope_theta", 10000.0))
    head_dim = getattr(config, "head_dim", None) or config.hidden_size // config.num_attention_heads
    return Shape(
        layers=config.num_hidden_layers,
        hidden=config.hidden_size,
        heads=config.num_attention_heads,
        kv_heads=config.num_key_value_heads,
        head_dim=head_dim,
        eps=config.rms_norm_eps,
        rope_theta=float(theta),
        context=config.max_position_embeddings,
        vocab=config.vocab_size,
    )


class DenseLinear:
    """Float weights; `dtype=bfloat16` halves the bytes read per token."""

    def __init__(self, weight: torch.Tensor, dtype: torch.dtype = torch.float32) -> None:
        self.weight = weight.detach().to(dtype).contiguous()
        self.dtype = dtype

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        return F.linear(x.to(self.dtype), self.weight)

    def row(self, ids: torch.Tensor) -> torch.Tensor:
        return self.weight[ids].float()

    def dense(self, dtype: torch.dtype) -> torch.Tensor:
        return self.weight.to(dtype)

    def tensors(self) -> dict[str, torch.Tensor]:
        return {"dense": self.weight}


class Int8Linear:
    """Weight-only int8 with one scale per output row; activations in bfloat16.

    (The CPU kernel is vectorised for bfloat16 activations and far slower for float32.)
    """

    def __init__(self, weight: torch.Tensor) -> None:
        weight = weight.detach().float()
        scale = weight.abs().amax(dim=1).clamp(min=1e-8) / 127.0
        self.weight = torch.round(weight / scale[:, None]).clamp(-127, 127).to(torch.int8).contiguous()
        self.scale = scale.contiguous()
        self._scale_bf16 = scale.to(torch.bfloat16)

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        int8pack_mm = torch.ops.aten._weight_int8pack_mm
        out: torch.Tensor = int8pack_mm(x.to(torch.bfloat16), self.weight, self._scale_bf16)
        return out

    def row(self, ids: torch.Tensor) -> torch.Tensor:
        """Rows of the dequantized matrix (the tied embedding lookup)."""
        return self.weight[ids].float() * self.scale[ids, None]

    def dense(self, dtype: torch.dtype) -> torch.Tensor:
        """The matrix in floats, for a prefill that runs faster through a dense product."""
        return (self.weight.float() * self.scale[:, None]).to(dtype)

    def tensors(self) -> dict[str, torch.Tensor]:
        return {"int8": self.weight, "scale": self.scale}


class Int4Linear:
    """Weight-only 4-bit in groups of 32 along each row, with a minimum and a step per group.

    This is GGUF's Q4_1 layout, so a model that came as Q4_1 keeps its grid: each group's
    smallest and largest values are exact points of the original. The codes are stored as
    the native step (engine/fastpath/native_step.c) reads them: 16 bytes per group, byte k holding
    the codes of columns k (low half) and k + 16 (high half); `scales` holds each group's
    step and offset in bfloat16, row by row: value = (code - 8) * step + offset.
    """

    GROUP = 32

    def __init__(self, weight: torch.Tensor) -> None:
        weight = weight.detach().float()
        rows, columns = weight.shape
        groups = weight.view(rows, columns // self.GROUP, self.GROUP)
        low = groups.amin(dim=-1)
        step = ((groups.amax(dim=-1) - low) / 15.0).clamp(min=1e-10)
        codes = torch.round((groups - low[..., None]) / step[..., None]).clamp(0, 15).to(torch.uint8)
        offset = low + 8.0 * step  # torch's kernel computes (code - 8) * step + offset
        self.codes = (codes[..., :16] | (codes[..., 16:] << 4)).reshape(rows, columns // 2).contiguous()
        self.scales = torch.stack([step, offset], dim=-1).to(torch.bfloat16).contiguous()
        self.native: Q4Kernels | None = None  # the native kernels (native_step.py), once in use
        self._torch: tuple[torch.Tensor, torch.Tensor] | None = None

    @property
    def shape(self) -> tuple[int, int]:
        return self.codes.shape[0], self.codes.shape[1] * 2

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        if self.native is not None:
            return self.native.matmul_q4(self.codes, self.scales, x)
        packed, scales_and_zeros = self.torch_kernel()
        out: torch.Tensor = torch.ops.aten._weight_int4pack_mm_for_cpu(
            x.to(torch.bfloat16), packed, self.GROUP, scales_and_zeros
        )
        return out

    def torch_kernel(self) -> tuple[torch.Tensor, torch.Tensor]:
        """The weights as torch's int4 kernel takes them, made on first use only: with the
        native step in use they are never needed, and they would cost as much memory as the
        codes themselves."""
        if self._torch is None:
            rows, columns = self.shape
            halves = self.codes.view(rows, -1, 16)
            codes = torch.cat([halves & 15, halves >> 4], dim=-1).view(rows, columns).to(torch.int32)
            packed = torch.ops.aten._convert_weight_to_int4pack_for_cpu(codes, 2)
            self._torch = packed, self.scales.transpose(0, 1).contiguous()
        return self._torch

    @staticmethod
    def fits(weight: torch.Tensor) -> bool:
        return weight.shape[1] % Int4Linear.GROUP == 0

    def dense(self, dtype: torch.dtype) -> torch.Tensor:
        """The matrix in floats, as the kernels see it (bfloat16 step and offset)."""
        rows, columns = self.shape
        halves = self.codes.view(rows, -1, 16)
        # (code - 8) * step + offset, written in place into one buffer: a prompt of a few
        # hundred tokens pays for this once per matrix, so passes over memory count.
        weight = torch.empty(rows, halves.shape[1], 2, 16)
        weight[:, :, 0].copy_((halves & 15).view(torch.int8) - 8)
        weight[:, :, 1].copy_((halves >> 4).view(torch.int8) - 8)
        step, offset = self.scales.float().unbind(-1)  # [rows, groups] each
        groups = weight.view(rows, -1, self.GROUP)
        groups.mul_(step[..., None]).add_(offset[..., None])
        return weight.view(rows, columns).to(dtype)

    def tensors(self) -> dict[str, torch.Tensor]:
        return {"codes4": self.codes, "scales4": self.scales}


Linear = DenseLinear | Int8Linear | Int4Linear
Embedding = DenseLinear | Int8Linear  # rows are read by index, which 4-bit codes do not offer


def restore_linear(tensors: dict[str, torch.Tensor]) -> Linear:
    """Rebuild a linear from what `tensors()` saved, without quantizing again."""
    if "codes4" in tensors:
        linear4 = Int4Linear.__new__(Int4Linear)
        linear4.codes, linear4.scales = tensors["codes4"], tensors["scales4"]
        linear4.native, linear4._torch = None, None
        return linear4
    if "int8" in tensors:
        linear8 = Int8Linear.__new__(Int8Linear)
        linear8.weight, linear8.scale = tensors["int8"], tensors["scale"]
        linear8._scale_bf16 = linear8.scale.to(torch.bfloat16)
        return linear8
    dense = DenseLinear.__new__(DenseLinear)
    dense.weight, dense.dtype = tensors["dense"], tensors["dense"].dtype
    return dense


WEIGHT_KINDS = ("exact", "bf16", "int8", "int4")


def linear_factory(kind: str) -> Any:
    if kind == "exact":
        return DenseLinear
    if kind == "bf16":
        return lambda weight: DenseLinear(weight, torch.bfloat16)
    if kind == "int8":
        return Int8Linear
    if kind == "int4":
        return lambda weight: Int4Linear(weight) if Int4Linear.fits(weight) else Int8Linear(weight)
    raise ValueError(f"unknown weight kind {kind!r}; choose one of {', '.join(WEIGHT_KINDS)}")


@dataclass
class _Layer:
    input_norm: torch.Tensor
    qkv: Linear
    out: Linear
    post_norm: torch.Tensor
    gate_up: Linear
    down: Linear
    qkv_bias: torch.Tensor | None = None  # Qwen2's biases on q, k and v, fused like their weights


class FastLlama:
    """Prefill and one-token decode steps over a KV cache it owns."""

    def __init__(
        self,
        shape: Shape,
        layers: list[_Layer],
        final_norm: torch.Tensor,
        lm_head: Linear,
        embed: Embedding,
        kinds: tuple[str, str],
    ) -> None:
        self.shape = shape
        self.layers = layers
        self.final_norm = final_norm
        self.lm_head = lm_head
        self.embed = embed
        self.kinds = kinds  # the weight kinds of the layers and of the output head
        self._inv_freq = 1.0 / (
            shape.rope_theta ** (torch.arange(0, shape.head_dim, 2).float() / shape.head_dim)
        )
        half = shape.head_dim // 2
        rotation = torch.zeros(shape.head_dim, shape.head_dim)
        rotation[torch.arange(half) + half, torch.arange(half)] = -1.0  # x @ R == cat(-x2, x1)
        rotation[torch.arange(half), torch.arange(half) + half] = 1.0
        self._rotation = rotation
        self._scale = shape.head_dim**-0.5
        self._cos = self._sin = torch.empty(0)
        self._k = self._v = torch.empty(0)
        self.cached: list[int] = []  # the tokens whose keys and values the cache holds
        self.kv_dtype = torch.float32
        self._compiled: Step | None = None  # the compiled or native decode step, once attached
        self.prefill = "quantized"  # or how long prompts run instead (engine/fastpath/cpu_plan.py)
        self._prefill_dtype: torch.dtype | None = None
        self._ensure_capacity(CACHE_CHUNK)

    @classmethod
    def from_model(cls, model: Any, *, layers: str = "int4", head: str = "int8") -> FastLlama:
        """Take a `transformers` Llama's weights; `layers`/`head` are exact, bf16, int8 or int4."""
        linear = linear_factory(layers)
        inner = model.model
        built: list[_Layer] = []
        for layer in inner.layers:
            attention, mlp = layer.self_attn, layer.mlp
            qkv = torch.cat([attention.q_proj.weight, attention.k_proj.weight, attention.v_proj.weight])
            gate_up = torch.cat([mlp.gate_proj.weight, mlp.up_proj.weight])
            projections = (attention.q_proj, attention.k_proj, attention.v_proj)
            qkv_bias = None  # Qwen2's; fused like the weights, a missing one as zeros
            if any(proj.bias is not None for proj in projections):
                qkv_bias = torch.cat(
                    [
                        torch.zeros(proj.out_features) if proj.bias is None else proj.bias.detach().float()
                        for proj in projections
                    ]
                ).contiguous()
            built.append(
                _Layer(
                    input_norm=layer.input_layernorm.weight.detach().float().clone(),
                    qkv=linear(qkv),
                    out=linear(attention.o_proj.weight),
                    post_norm=layer.post_attention_layernorm.weight.detach().float().clone(),
                    gate_up=linear(gate_up),
                    down=linear(mlp.down_proj.weight),
                    qkv_bias=qkv_bias,
                )
            )
        tied = model.lm_head.weight.data_ptr() == inner.embed_tokens.weight.data_ptr()
        lm_head = linear_factory(head)(model.lm_head.weight)
        if tied and isinstance(lm_head, DenseLinear | Int8Linear):
            embed: Embedding = lm_head
        else:
            embed = DenseLinear(inner.embed_tokens.weight, torch.bfloat16)
        final_norm = inner.norm.weight.detach().float().clone()
        return cls(_shape(model), built, final_norm, lm_head, embed, (layers, head))

    # -- saving and restoring ----------------------------------------------------

    def state(self) -> tuple[dict[str, torch.Tensor], dict[str, str]]:
        """Tensors and metadata to save (the quantized weights, ready to use)."""
        tensors: dict[str, torch.Tensor] = {"final_norm": self.final_norm}
        for index, layer in enumerate(self.layers):
            tensors[f"layers.{index}.input_norm"] = layer.input_norm
            tensors[f"layers.{index}.post_norm"] = layer.post_norm
            if layer.qkv_bias is not None:
                tensors[f"layers.{index}.qkv_bias"] = layer.qkv_bias
            for name in ("qkv", "out", "gate_up", "down"):
                for key, tensor in getattr(layer, name).tensors().items():
                    tensors[f"layers.{index}.{name}.{key}"] = tensor
        for key, tensor in self.lm_head.tensors().items():
            tensors[f"lm_head.{key}"] = tensor
        if self.embed is not self.lm_head:
            for key, tensor in self.embed.tensors().items():
                tensors[f"embed.{key}"] = tensor
        meta = {"shape": json.dumps(asdict(self.shape)), "precision": ",".join(self.kinds)}
        return {key: tensor.contiguous() for key, tensor in tensors.items()}, meta

    @classmethod
    def from_state(cls, tensors: dict[str, torch.Tensor], meta: dict[str, str]) -> FastLlama:
        shape = Shape(**json.loads(meta["shape"]))

        def part(prefix: str) -> dict[str, torch.Tensor]:
            return {key[len(prefix) :]: value for key, value in tensors.items() if key.startswith(prefix)}

        layers = [
            _Layer(
                input_norm=tensors[f"layers.{index}.input_norm"],
                qkv=restore_linear(part(f"layers.{index}.qkv.")),
                out=restore_linear(part(f"layers.{index}.out.")),
                post_norm=tensors[f"layers.{index}.post_norm"],
                gate_up=restore_linear(part(f"layers.{index}.gate_up.")),
                down=restore_linear(part(f"layers.{index}.down.")),
                qkv_bias=tensors.get(f"layers.{index}.qkv_bias"),
            )
            for index in range(shape.layers)
        ]
        lm_head = restore_linear(part("lm_head."))
        embed = restore_linear(part("embed.")) if "embed.dense" in tensors else lm_head
        if not isinstance(embed, DenseLinear | Int8Linear):
            raise ValueError("the saved embedding is 4-bit, which this decoder cannot read by row")
        layers_kind, head_kind = meta["precision"].split(",")
        return cls(shape, layers, tensors["final_norm"], lm_head, embed, (layers_kind, head_kind))

    # -- cache -------------------------------------------------------------------

    def _ensure_capacity(self, length: int) -> None:
        have = self._k.shape[2] if self._k.numel() else 0
        if length <= have:
            return
        size = min(self.shape.context, max(length, have * 2, CACHE_CHUNK))
        shape = self.shape
        k = torch.zeros(shape.layers, shape.kv_heads, size, shape.head_dim, dtype=self.kv_dtype)
        v = torch.zeros_like(k)
        if have:
            k[:, :, :have] = self._k
            v[:, :, :have] = self._v
        self._k, self._v = k, v
        positions = torch.arange(size, dtype=torch.float32)
        freqs = positions[:, None] * self._inv_freq[None, :]
        emb = torch.cat((freqs, freqs), dim=-1)
        self._cos, self._sin = emb.cos(), emb.sin()

    def set_prefill(self, kind: str) -> None:
        """Run prompts of many tokens through float weights ("exact" or "bf16"), one layer's
        matrices turned into floats at a time; through the native int8 tiles where the
        rounding is harmless and float32 elsewhere ("int8"); or through the decode kernels
        ("quantized")."""
        dtypes = {"quantized": None, "exact": torch.float32, "bf16": torch.bfloat16, "int8": torch.float32}
        if kind not in dtypes:
            raise ValueError(f"unknown prefill kind {kind!r}; choose one of {', '.join(dtypes)}")
        self.prefill, self._prefill_dtype = kind, dtypes[kind]

    def use_native(self, kernels: Any) -> None:
        """Every 4-bit product through the native kernels (engine/fastpath/native_step.py), so prompts,
        copy drafts and the eager step compute what the native step computes."""
        for layer in self.layers:
            for linear in (layer.qkv, layer.out, layer.gate_up, layer.down):
                if isinstance(linear, Int4Linear):
                    linear.native = kernels

    def reusable_prefix(self, ids: list[int]) -> int:
        """How many leading tokens of `ids` the cache already holds (always leaves one to run)."""
        limit = min(len(self.cached), len(ids) - 1)
        common = 0
        while common < limit and self.cached[common] == ids[common]:
            common += 1
        return common

    def forget(self) -> None:
        self.cached = []

    def attach(self, compiled: Step, kv_dtype: torch.dtype) -> None:
        """Decode through a compiled step from now on: a callable (embedding, position, cos,
        sin, keys, values) -> logits that writes the token's keys and values into the
        caches, with `preferred_threads()` (the core count it finds fastest now, or None).
        The cache (and what it holds) is kept, converted to the step's dtype."""
        self._k, self._v = self._k.to(kv_dtype), self._v.to(kv_dtype)
        self.kv_dtype = kv_dtype
        self._compiled = compiled

    @property
    def compiled(self) -> bool:
        return self._compiled is not None

    # -- the network -------------------------------------------------------------

    # Between the quantized matrices everything runs in float32: on the CPU the small
    # operations are faster there than in bfloat16, and the residual keeps its precision.

    def _norm(self, x: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
        return layer_math.norm(x, weight, self.shape.hidden, self.shape.eps)

    @torch.inference_mode()
    def forward(self, ids: list[int], start: int, *, every_position: bool = False) -> torch.Tensor:
        """Run `ids` at positions start.. and return the last position's logits (or all)."""
        shape = self.shape
        count = len(ids)
        end = start + count
        self._ensure_capacity(end)
        x = self.embed.row(torch.tensor(ids, dtype=torch.long)).float()  # [count, hidden], float32
        cos = self._cos[start:end][:, None]  # [count, 1, head_dim]
        sin = self._sin[start:end][:, None]
        rotation, scale = self._rotation, self._scale
        heads, kv_heads, head_dim = shape.heads, shape.kv_heads, shape.head_dim
        group = heads // kv_heads
        rotated_heads = heads + kv_heads  # q and k sit side by side in the fused output
        q_size = heads * head_dim
        mask = None
        if start and count > 1:  # new tokens see the cached prefix and each other causally
            mask = torch.ones(count, end, dtype=torch.bool).tril(diagonal=start)
        keys_cache, values_cache = self._k, self._v
        dtype = self._prefill_dtype if count >= PREFILL_MIN_ROWS else None

        int8 = self.prefill == "int8"

        def product(linear: Linear, x: torch.Tensor, name: str) -> torch.Tensor:
            """Through the decode kernel, or (many rows, when the plan says) through the
            int8 tiles or in floats; float32 out."""
            if dtype is None or x.shape[0] < PREFILL_MIN_ROWS:
                return linear(x).float()
            tiles = linear.native if isinstance(linear, Int4Linear) else None
            if int8 and name in INT8_PRODUCTS and tiles is not None and isinstance(linear, Int4Linear):
                out = tiles.matmul_q4_int8(linear.codes, linear.scales, x)
                if out is not None:
                    return out.float()
            return F.linear(x.to(dtype), linear.dense(dtype)).float()

        last = len(self.layers) - 1

        for index, layer in enumerate(self.layers):
            # [count, (heads + 2 kv) * dim]
            qkv = layer_math.add_bias(
                product(layer.qkv, self._norm(x, layer.input_norm), "qkv"), layer.qkv_bias
            )
            qk = qkv[:, : rotated_heads * head_dim].view(count, rotated_heads, head_dim)
            qk = torch.addcmul(qk * cos, qk @ rotation, sin)  # rotary embedding, q and k at once
            keys_cache[index, :, start:end] = qk[:, heads:].transpose(0, 1)
            values_cache[index, :, start:end] = (
                qkv[:, rotated_heads * head_dim :].view(count, kv_heads, head_dim).transpose(0, 1)
            )
            keys = keys_cache[index, :, :end].float()  # a no-op for a float32 cache
            values = values_cache[index, :, :end].float()
            if index == last and not every_position:
                # Past the last layer's keys and values only the last token's row is read:
                # its attention, output product and MLP are all the prompt's rows still need.
                qk, x = qk[-1:], x[-1:]
            if qk.shape[0] == 1:  # decoding: two small batched products beat the general kernel
                q = qk[0, :heads].view(kv_heads, group, head_dim)
                attended = layer_math.attend_token(q, keys, values, scale).reshape(1, q_size)
            else:
                attended = F.scaled_dot_product_attention(
                    qk[:, :heads].transpose(0, 1)[None],
                    keys[None],
                    values[None],
                    attn_mask=mask,
                    is_causal=mask is None,
                    enable_gqa=True,
                )[0]
                attended = attended.transpose(0, 1).reshape(count, q_size)
            x = x + product(layer.out, attended, "out")
            gate_up = functools.partial(product, layer.gate_up, name="gate_up")
            down = functools.partial(product, layer.down, name="down")
            x = layer_math.mlp(x, layer.post_norm, gate_up, down, shape.hidden, shape.eps)
        if every_position:
            return self.lm_head(self._norm(x, self.final_norm)).float()
        return self.lm_head(self._norm(x[-1:], self.final_norm))[0].float()

    def run(self, ids: list[int]) -> torch.Tensor:
        """Logits after `ids`, reusing the cached prefix; the cache then holds `ids`."""
        start = self.reusable_prefix(ids)
        self.cached = self.cached[:start]
        # While other programs keep cores busy the decode step computes with fewer threads
        # (engine/fastpath/native_step.py times that); the prompt is read with as many.
        with fewer_threads(self._compiled.preferred_threads() if self._compiled is not None else None):
            logits = self.forward(ids[start:], start)
        self.cached = list(ids)
        return logits

    def extend(self, tokens: list[int]) -> torch.Tensor:
        """The logits after each of `tokens`, run in one pass; they all join the cache (a
        copy draft is checked this way, and `truncate` drops what was not kept). Every row
        is computed exactly as `step` would compute it alone, so a draft is kept only where
        token-by-token decoding would have chosen the same."""
        logits = self._decode_rows(tokens, len(self.cached))
        self.cached.extend(tokens)
        return logits

    def truncate(self, length: int) -> None:
        """Forget cached tokens from `length` on (their keys and values become scratch)."""
        del self.cached[length:]

    def step(self, token: int, *, eager: bool = False) -> torch.Tensor:
        """One decoding step: the logits after `token`, which joins the cache. `eager` keeps
        the eager step even when a compiled one is attached (copy drafts are checked against
        the eager step's exact numbers)."""
        position = len(self.cached)
        if self._compiled is not None and position >= 2 and not eager:
            logits = self._compiled_step(token, position)
        else:
            logits = self._decode_one(token, position)
        self.cached.append(token)
        return logits

    @torch.inference_mode()
    def _compiled_step(self, token: int, position: int) -> torch.Tensor:
        self._ensure_capacity(position + 1)
        x = self.embed.row(torch.tensor([token])).float()
        assert self._compiled is not None  # only called once a step is attached
        return self._compiled(x, position, self._cos[position], self._sin[position], self._k, self._v)

    @torch.inference_mode()
    def _decode_rows(self, tokens: list[int], position: int) -> torch.Tensor:
        """`_decode_one` for several consecutive tokens: the matrix products take all rows at
        once (torch's weight kernels give each row the same result as alone), attention runs
        row by row with the very operations of `_decode_one`."""
        shape = self.shape
        count = len(tokens)
        self._ensure_capacity(position + count)
        heads, kv_heads, head_dim = shape.heads, shape.kv_heads, shape.head_dim
        rotated = (heads + kv_heads) * head_dim
        group, hidden, eps, scale = heads // kv_heads, shape.hidden, shape.eps, self._scale
        cos, sin = self._cos[position : position + count], self._sin[position : position + count]
        keys_cache, values_cache = self._k, self._v
        x = self.embed.row(torch.tensor(tokens)).float()
        for index, layer in enumerate(self.layers):
            qkv = layer.qkv(layer_math.norm(x, layer.input_norm, hidden, eps)).float()
            qkv = layer_math.add_bias(qkv, layer.qkv_bias)
            rows = []
            for row in range(count):
                end = position + row + 1
                qk = qkv[row : row + 1, :rotated].view(1, heads + kv_heads, head_dim)
                qk = layer_math.rotary(qk, cos[row], sin[row])
                keys_cache[index, :, end - 1] = qk[0, heads:]
                values_cache[index, :, end - 1] = qkv[row, rotated:].view(kv_heads, head_dim)
                q = qk[0, :heads].view(kv_heads, group, head_dim)
                keys, values = keys_cache[index, :, :end].float(), values_cache[index, :, :end].float()
                rows.append(layer_math.attend_token(q, keys, values, scale).view(1, heads * head_dim))
            x = x + layer.out(torch.cat(rows))
            x = layer_math.mlp(x, layer.post_norm, layer.gate_up, layer.down, hidden, eps)
        return self.lm_head(layer_math.norm(x, self.final_norm, hidden, eps)).float()

    @torch.inference_mode()
    def _decode_one(self, token: int, position: int) -> torch.Tensor:
        """`forward` for a single new token, with every per-token operation the step needs and
        no other: at this model size the step's time is mostly operations, not arithmetic."""
        shape = self.shape
        self._ensure_capacity(position + 1)
        end = position + 1
        heads, kv_heads, head_dim = shape.heads, shape.kv_heads, shape.head_dim
        rotated = (heads + kv_heads) * head_dim
        group, hidden, eps, scale = heads // kv_heads, shape.hidden, shape.eps, self._scale
        cos, sin = self._cos[position], self._sin[position]
        keys_cache, values_cache = self._k, self._v
        x = self.embed.row(torch.tensor([token])).float()
        for index, layer in enumerate(self.layers):
            qkv = layer.qkv(layer_math.norm(x, layer.input_norm, hidden, eps)).float()
            qkv = layer_math.add_bias(qkv, layer.qkv_bias)
            qk = layer_math.rotary(qkv[:, :rotated].view(1, heads + kv_heads, head_dim), cos, sin)
            keys_cache[index, :, position] = qk[0, heads:]
            values_cache[index, :, position] = qkv[0, rotated:].view(kv_heads, head_dim)
            q = qk[0, :heads].view(kv_heads, group, head_dim)
            keys, values = keys_cache[index, :, :end].float(), values_cache[index, :, :end].float()
            x = x + layer.out(layer_math.attend_token(q, keys, values, scale).view(1, heads * head_dim))
            x = layer_math.mlp(x, layer.post_norm, layer.gate_up, layer.down, hidden, eps)
        return self.lm_head(layer_math.norm(x, self.final_norm, hidden, eps))[0].float()
