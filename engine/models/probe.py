"""Sizing a model before it is loaded: parameters, file size, memory, and whether it fits.

Only headers are read (GGUF metadata, safetensors headers, config.json), so the estimate
is instant even for large models. The memory estimate is the weights at the precision
they will run in, plus the KV cache for the context that will be used, plus the runtime
itself; the loaded model then reports what it really took, to compare.
"""

from __future__ import annotations

import json
import math
import os
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.errors import InkwellError
from engine.models.device import DeviceChoice
from engine.models.spec import ModelKind, ModelSpec, bundled_model_path

RUNTIME_BYTES = 350 * 2**20  # torch, the tokenizer and the app around the weights
FAST_BYTES_PER_PARAMETER = 0.65  # 4-bit layers in groups of 32 plus an int8 output matrix
DTYPE_BYTES = {"float32": 4, "bfloat16": 2, "float16": 2}
SAFETENSORS_BYTES = {"F64": 8, "F32": 4, "BF16": 2, "F16": 2, "I64": 8, "I32": 4, "I16": 2, "I8": 1, "U8": 1}


@dataclass(frozen=True)
class ModelShape:
    parameters: int | None
    file_bytes: int
    layers: int | None = None
    kv_width: int | None = None  # key/value heads × head size
    context: int | None = None


@dataclass(frozen=True)
class Estimate:
    """What loading a model will take, in plain numbers the settings dialog shows."""

    parameters: int | None
    file_bytes: int | None
    memory_bytes: int | None
    available_bytes: int | None
    where: str  # "RAM" or "GPU memory"
    note: str = ""

    @property
    def fits(self) -> bool | None:
        if self.memory_bytes is None or self.available_bytes is None:
            return None
        return self.memory_bytes <= self.available_bytes

    def describe(self) -> str:
        parts = []
        if self.parameters:
            parts.append(f"{self.parameters / 1e6:,.0f}M parameters")
        if self.file_bytes:
            parts.append(f"{self.file_bytes / 2**20:,.0f} MB on disk")
        if self.memory_bytes:
            parts.append(f"needs about {self.memory_bytes / 2**20:,.0f} MB of {self.where}")
        if self.available_bytes is not None:
            parts.append(f"{self.available_bytes / 2**20:,.0f} MB free")
        if self.parameters is None and self.note:
            return ". ".join([self.note, *parts]) + "."
        text = ", ".join(parts) if parts else "Size unknown"
        if self.fits is False:
            text += " — it does not fit"
        elif self.fits:
            text += " — it fits"
        return text + (f". {self.note}" if self.note else ".")


def _gguf_shape(path: Path) -> ModelShape:
    from gguf import GGUFReader

    reader = GGUFReader(str(path), "r")
    parameters = sum(int(tensor.n_elements) for tensor in reader.tensors)

    def field(suffix: str) -> int | None:
        for name, item in reader.fields.items():
            if name.endswith(suffix) and item.data:
                value = item.parts[item.data[0]]
                return int(value[0]) if len(value) else None
        return None

    layers, heads, kv_heads, width = (
        field(".block_count"),
        field(".attention.head_count"),
        field(".attention.head_count_kv"),
        field(".embedding_length"),
    )
    kv = kv_heads * (width // heads) if layers and heads and kv_heads and width else None
    return ModelShape(parameters, path.stat().st_size, layers, kv, field(".context_length"))


def _safetensors_parameters(path: Path) -> int:
    with path.open("rb") as stream:
        (length,) = struct.unpack("<Q", stream.read(8))
        header: dict[str, Any] = json.loads(stream.read(length))
    return sum(math.prod(entry["shape"]) for key, entry in header.items() if key != "__metadata__")


def _weight_files(folder: Path) -> list[Path]:
    """The safetensors files `transformers` would load (not other files lying beside them)."""
    index = folder / "model.safetensors.index.json"
    if index.is_file():
        names = set(json.loads(index.read_text(encoding="utf-8")).get("weight_map", {}).values())
        return sorted(folder / name for name in names)
    single = folder / "model.safetensors"
    return [single] if single.is_file() else sorted(folder.glob("*.safetensors"))


def _folder_shape(folder: Path) -> ModelShape:
    weights = _weight_files(folder)
    files = weights or sorted(folder.glob("*.bin"))
    size = sum(path.stat().st_size for path in files)
    parameters = sum(_safetensors_parameters(path) for path in weights) if weights else None
    config: dict[str, Any] = {}
    config_path = folder / "config.json"
    if config_path.is_file():
        config = json.loads(config_path.read_text(encoding="utf-8"))
    heads = config.get("num_attention_heads")
    width = config.get("hidden_size")
    kv_heads = config.get("num_key_value_heads", heads)
    head_dim = config.get("head_dim") or (width // heads if width and heads else None)
    kv = kv_heads * head_dim if kv_heads and head_dim else None
    if parameters is None and size:
        parameters = size // 4  # .bin weights are nearly always float32
    layers, context = config.get("num_hidden_layers"), config.get("max_position_embeddings")
    return ModelShape(parameters, size, layers, kv, context)


def _hub_folder(repo_id: str) -> Path | None:
    """The local snapshot of a hub model, if it was downloaded before."""
    from huggingface_hub import try_to_load_from_cache

    found = try_to_load_from_cache(repo_id, "config.json")
    return Path(found).parent if isinstance(found, str) else None


def shape_of(spec: ModelSpec) -> ModelShape | None:
    """The model's size from its headers; None when it is not on this machine."""
    if spec.kind is ModelKind.BUNDLED:
        return _gguf_shape(bundled_model_path())
    if spec.kind is ModelKind.GGUF:
        return _gguf_shape(Path(spec.location)) if Path(spec.location).is_file() else None
    if spec.kind is ModelKind.FOLDER:
        return _folder_shape(Path(spec.location)) if Path(spec.location).is_dir() else None
    folder = _hub_folder(spec.location)
    return _folder_shape(folder) if folder else None


def available_memory(device: str) -> int | None:
    """Free memory where the weights will live (RAM for the CPU and Apple GPUs)."""
    if device == "cuda":
        import torch

        free, _total = torch.cuda.mem_get_info()
        return int(free)
    try:
        import psutil

        return int(psutil.virtual_memory().available)
    except ImportError:
        pages = os.sysconf("SC_AVPHYS_PAGES") if hasattr(os, "sysconf") else 0
        return int(pages * os.sysconf("SC_PAGE_SIZE")) if pages else None


def estimate(
    spec: ModelSpec, choice: DeviceChoice, precision: str = "fast", context_size: int = 0
) -> Estimate:
    """How much the model will take on the chosen device, before anything is loaded."""
    where = "GPU memory" if choice.device == "cuda" else "RAM"
    try:
        shape = shape_of(spec)
    except (OSError, ValueError, KeyError, InkwellError) as exc:
        return Estimate(None, None, None, None, where, f"Its size could not be read ({type(exc).__name__})")
    available = available_memory(choice.device)
    if shape is None:
        note = "Not on this machine yet: press Download" if spec.kind is ModelKind.HUB else "Not found"
        return Estimate(None, None, None, available, where, note)
    if shape.parameters is None:
        return Estimate(None, shape.file_bytes, None, available, where, "Its parameter count is unknown")
    fast = precision == "fast" and choice.device == "cpu"
    per_parameter = FAST_BYTES_PER_PARAMETER if fast else DTYPE_BYTES.get(choice.dtype, 4)
    context = min(x for x in (context_size or None, shape.context, 8192) if x)
    kv = 2 * shape.layers * shape.kv_width * context * 4 if shape.layers and shape.kv_width else 0
    memory = int(shape.parameters * per_parameter + kv + RUNTIME_BYTES)
    how = "fast 4-bit" if fast else choice.dtype
    note = f"Weights as {how}, key/value cache for {context:,} tokens"
    return Estimate(shape.parameters, shape.file_bytes, memory, available, where, note)
