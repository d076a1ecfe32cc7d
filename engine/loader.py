"""Loading a model and its tokenizer from a `ModelSpec`, onto the chosen device.

Everything here runs on the engine thread. Hub ids are read from the local cache only,
unless the spec says the writer asked for a download.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from engine.device import DeviceChoice
from engine.errors import ModelLoadError
from engine.jobs import ModelInfo
from engine.model_cache import ConvertedModelCache, SourceKey
from engine.spec import ModelKind, ModelSpec, bundled_model_path

log = logging.getLogger(__name__)

GGUF_MAGIC = b"GGUF"


@dataclass
class LoadedModel:
    model: Any
    tokenizer: Any
    info: ModelInfo


def _context_window(config: Any, tokenizer: Any) -> int:
    for name in ("max_position_embeddings", "n_positions", "max_sequence_length", "seq_length"):
        value = getattr(config, name, None)
        if isinstance(value, int) and value > 0:
            return value
    limit = getattr(tokenizer, "model_max_length", 0)
    return limit if 0 < limit < 10**7 else 2048


def _check_gguf(path: Path) -> None:
    if not path.exists():
        raise ModelLoadError(f"Model not found: no file at {path}.")
    if not path.is_file():
        raise ModelLoadError(f"Not a model: {path.name} is not a file.")
    with path.open("rb") as handle:
        magic = handle.read(4)
    if magic != GGUF_MAGIC:
        raise ModelLoadError(
            f"Not a model: {path.name} is not a GGUF file (it does not start with the GGUF header)."
        )


def _convert_gguf(path: Path, dtype: torch.dtype) -> tuple[Any, Any]:
    from transformers import AutoModelForCausalLM, AutoTokenizer

    try:
        tokenizer = AutoTokenizer.from_pretrained(path.parent, gguf_file=path.name)
        model = AutoModelForCausalLM.from_pretrained(path.parent, gguf_file=path.name, dtype=dtype)
    except Exception as exc:
        raise ModelLoadError(
            f"Could not read the GGUF model {path.name}: the file is damaged or of an "
            f"unsupported kind ({type(exc).__name__})."
        ) from exc
    # transformers marks GGUF-loaded models as quantized and refuses to save them; the
    # weights are already dequantized, so clearing the mark lets them be saved plainly.
    model.hf_quantizer = None
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    return model, tokenizer


def _load_folder(source: str, dtype: torch.dtype, *, local_only: bool) -> tuple[Any, Any]:
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(source, local_files_only=local_only)
    model = AutoModelForCausalLM.from_pretrained(source, dtype=dtype, local_files_only=local_only)
    return model, tokenizer


class ModelLoader:
    """Loads models; converted GGUF models go through the cache."""

    def __init__(self, cache: ConvertedModelCache) -> None:
        self.cache = cache

    def load(self, spec: ModelSpec, choice: DeviceChoice) -> LoadedModel:
        started = time.perf_counter()
        dtype = choice.torch_dtype
        if spec.kind in (ModelKind.BUNDLED, ModelKind.GGUF):
            path = bundled_model_path() if spec.kind is ModelKind.BUNDLED else Path(spec.location)
            model, tokenizer, cache_state = self._load_gguf(path, dtype)
        elif spec.kind is ModelKind.FOLDER:
            model, tokenizer = self._load_local_folder(Path(spec.location), dtype)
            cache_state = "none"
        else:
            model, tokenizer = self._load_hub(spec, dtype)
            cache_state = "none"
        model = model.to(choice.device).eval()
        if getattr(model.generation_config, "pad_token_id", None) is None:
            model.generation_config.pad_token_id = tokenizer.eos_token_id
        info = ModelInfo(
            name=spec.display_name,
            kind=spec.kind.value,
            device=choice.device,
            dtype=choice.dtype,
            device_reason=choice.reason,
            device_fallback=choice.fallback,
            context_window=_context_window(model.config, tokenizer),
            parameters=sum(p.numel() for p in model.parameters()),
            has_chat_template=bool(getattr(tokenizer, "chat_template", None)),
            load_seconds=time.perf_counter() - started,
            cache=cache_state,
        )
        log.info("Loaded %s on %s (%s) in %.1f s", info.name, info.device, info.dtype, info.load_seconds)
        return LoadedModel(model, tokenizer, info)

    def _load_gguf(self, path: Path, dtype: torch.dtype) -> tuple[Any, Any, str]:
        _check_gguf(path)
        key = SourceKey.of(path)
        folder, state = self.cache.lookup(key)
        if folder is not None:
            try:
                model, tokenizer = _load_folder(str(folder), dtype, local_only=True)
                return model, tokenizer, "hit"
            except Exception as exc:  # a manifest can be right while a file is still unusable
                log.warning("Cached model failed to load (%s); rebuilding.", type(exc).__name__)
                self.cache.discard(folder)
                state = "unloadable"
        # Convert in float32 (what the cache stores), then cast for the device.
        model, tokenizer = _convert_gguf(path, torch.float32)

        def write(target: Path) -> None:
            model.save_pretrained(target)
            tokenizer.save_pretrained(target)

        try:
            self.cache.store(key, write)
        except OSError as exc:  # a full or read-only disk costs speed next time, nothing more
            log.warning("Could not cache the converted model (%s).", type(exc).__name__)
        if dtype != torch.float32:
            model = model.to(dtype)
        return model, tokenizer, "built" if state == "missing" else "rebuilt"

    @staticmethod
    def _load_local_folder(folder: Path, dtype: torch.dtype) -> tuple[Any, Any]:
        if not folder.exists():
            raise ModelLoadError(f"Model not found: no folder at {folder}.")
        if not (folder / "config.json").is_file():
            raise ModelLoadError(
                f"Not a model: the folder {folder.name} has no config.json "
                "(a Hugging Face model folder is expected)."
            )
        try:
            return _load_folder(str(folder), dtype, local_only=True)
        except Exception as exc:
            raise ModelLoadError(
                f"Could not load the model folder {folder.name}: {type(exc).__name__}: "
                f"{str(exc).splitlines()[0][:200] if str(exc) else 'no details'}"
            ) from exc

    @staticmethod
    def _load_hub(spec: ModelSpec, dtype: torch.dtype) -> tuple[Any, Any]:
        try:
            return _load_folder(spec.location, dtype, local_only=not spec.allow_download)
        except OSError as exc:
            if not spec.allow_download:
                raise ModelLoadError(
                    f"The model {spec.location!r} is not in the local Hugging Face cache, and "
                    "Inkwell does not download models unless asked. Download it first, or "
                    "point Inkwell at a local folder or .gguf file."
                ) from exc
            raise ModelLoadError(f"Could not download {spec.location!r}: {exc}") from exc
        except Exception as exc:
            raise ModelLoadError(f"Could not load {spec.location!r}: {type(exc).__name__}") from exc
