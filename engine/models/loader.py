"""Loading a model and its tokenizer from a `ModelSpec`, onto the chosen device.

Everything here runs on the engine thread. Hub ids are read from the local cache only,
unless the spec says the writer asked for a download.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from engine.errors import ModelLoadError
from engine.fastpath import cpu_plan, decoder
from engine.fastpath.decoder import FastLlama
from engine.jobs import ModelInfo
from engine.models.cache import ConvertedModelCache, SourceKey
from engine.models.device import DeviceChoice
from engine.models.progress import (
    CONVERT_S_PER_MB,
    CONVERTING,
    QUANTIZE_S_PER_MB,
    QUANTIZING,
    READ_PREPARED_S_PER_MB,
    READING,
    READING_CONVERTED,
    READING_PREPARED,
    SAVE_FAST_S_PER_MB,
    SAVE_S_PER_MB,
    SAVING,
    SAVING_FAST,
    LoadReporter,
)
from engine.models.spec import ModelKind, ModelSpec, bundled_model_path

log = logging.getLogger(__name__)

GGUF_MAGIC = b"GGUF"


@dataclass
class LoadedModel:
    model: Any | None  # the transformers model; None when only the fast decoder is kept
    tokenizer: Any
    info: ModelInfo
    fast: FastLlama | None = None
    generation_config: Any = None

    @property
    def eos_ids(self) -> set[int]:
        eos = getattr(self.generation_config, "eos_token_id", None)
        if eos is None:
            eos = self.tokenizer.eos_token_id
        return set(eos if isinstance(eos, list) else [eos]) if eos is not None else set()


FAST_HEAD = "int8"


def fast_file(layers: str) -> str:
    """The cached quantized decoder, one per layer kind a CPU plan may choose."""
    return (
        f"fast-{layers}-{FAST_HEAD}-v3-torch{torch.__version__.split('+')[0]}.safetensors"  # v3: native codes
    )


FAST_FILE = fast_file(cpu_plan.DEFAULT.decode)


def _is_full_weights(name: str) -> bool:
    return name.startswith("model") and name.endswith(".safetensors")


def _weight_bytes(fast: FastLlama | None, model: Any) -> int:
    """The bytes the kept weights take (the quantized decoder's, or the model's)."""
    tensors = fast.state()[0].values() if fast is not None else [*model.parameters(), *model.buffers()]
    return sum(tensor.numel() * tensor.element_size() for tensor in tensors)


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
    model.hf_quantizer = None  # type: ignore[assignment]
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    return model, tokenizer


def _tokenizer(folder: Path) -> Any:
    """A converted model's tokenizer. Its folder always holds a `tokenizer.json`, which the
    fast tokenizer class reads directly: `AutoTokenizer` gives the same tokenizer but costs
    about 50 MB more of the writer's memory (measured: 98 against 49 MB)."""
    from transformers import AutoTokenizer, PreTrainedTokenizerFast

    if (folder / "tokenizer.json").is_file():
        return PreTrainedTokenizerFast.from_pretrained(folder, local_files_only=True)
    return AutoTokenizer.from_pretrained(folder, local_files_only=True)


def _load_folder(source: str, dtype: torch.dtype, *, local_only: bool) -> tuple[Any, Any]:
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(source, local_files_only=local_only)
    model = AutoModelForCausalLM.from_pretrained(source, dtype=dtype, local_files_only=local_only)
    return model, tokenizer


def wants_fast(choice: DeviceChoice, precision: str) -> bool:
    """Whether a load keeps only the lean quantized decoder: the fast precision on the CPU."""
    return precision == "fast" and choice.device == "cpu"


# Any of these makes a folder's tokenizer loadable (fast, SentencePiece, or BPE files).
TOKENIZER_FILES = ("tokenizer.json", "tokenizer.model", "vocab.json", "tokenizer_config.json")


class ModelLoader:
    """Loads models; converted GGUF models go through the cache."""

    def __init__(self, cache: ConvertedModelCache) -> None:
        self.cache = cache
        self.compiled_dir = cache.root.parent / "compiled"  # compiled decode steps, by model shape
        self._keys: dict[tuple[str, int, int], SourceKey] = {}

    def _key(self, path: Path) -> SourceKey:
        """The source's key, hashed once per file version rather than at every step."""
        stat = path.stat()
        memo = (str(path), stat.st_size, stat.st_mtime_ns)
        if memo not in self._keys:
            self._keys[memo] = SourceKey.of(path)
        return self._keys[memo]

    def load(
        self,
        spec: ModelSpec,
        choice: DeviceChoice,
        precision: str = "exact",
        progress: LoadReporter | None = None,
    ) -> LoadedModel:
        """Load `spec`; `precision="fast"` on the CPU keeps only the lean quantized decoder.
        `progress` hears each step (a first start converts the GGUF: seconds, not one)."""
        progress = progress or LoadReporter(None)
        started = time.perf_counter()
        dtype = choice.torch_dtype
        want_fast = wants_fast(choice, precision)
        plan = cpu_plan.current(self.compiled_dir) if want_fast else cpu_plan.DEFAULT
        source: Path | None = None
        fast: FastLlama | None
        if spec.kind in (ModelKind.BUNDLED, ModelKind.GGUF):
            source = bundled_model_path() if spec.kind is ModelKind.BUNDLED else Path(spec.location)
            _check_gguf(source)
            megabytes = source.stat().st_size / 2**20
            if want_fast:
                progress.plan([(READING_PREPARED, READ_PREPARED_S_PER_MB * megabytes)])
                progress.step(READING_PREPARED)
                cached = self._load_cached_fast(source, plan.decode)
                if cached is not None:
                    tokenizer, config, generation_config, fast, parameters = cached
                    fast.set_prefill(plan.prefill)
                    info = self._info(spec, choice, config, tokenizer, parameters, started, "hit", fast)
                    return LoadedModel(None, tokenizer, info, fast, generation_config)
            converted = self.cache.entry(self._key(source)).exists()  # for the plan only
            first = (
                [(READING_CONVERTED, 5 * READ_PREPARED_S_PER_MB * megabytes)]
                if converted
                else [
                    (CONVERTING, CONVERT_S_PER_MB * megabytes),
                    (SAVING, SAVE_S_PER_MB * megabytes),
                ]
            )
            fast_steps = [
                (QUANTIZING, QUANTIZE_S_PER_MB * megabytes),
                (SAVING_FAST, SAVE_FAST_S_PER_MB * megabytes),
            ]
            progress.plan(first + (fast_steps if want_fast else []))
            progress.step(READING_CONVERTED if converted else CONVERTING)
            model, tokenizer, cache_state = self._load_gguf(
                source, torch.float32 if want_fast else dtype, progress
            )
        elif spec.kind is ModelKind.FOLDER:
            progress.plan([(READING, 5.0), (QUANTIZING, 2.0)] if want_fast else [(READING, 5.0)])
            progress.step(READING)
            model, tokenizer = self._load_local_folder(Path(spec.location), dtype)
            cache_state = "none"
        else:
            progress.plan([(READING, 5.0), (QUANTIZING, 2.0)] if want_fast else [(READING, 5.0)])
            progress.step(READING)
            model, tokenizer = self._load_hub(spec, dtype)
            cache_state = "none"
        if getattr(model.generation_config, "pad_token_id", None) is None:
            model.generation_config.pad_token_id = tokenizer.eos_token_id
        parameters = sum(p.numel() for p in model.parameters())
        fast, note = None, ""
        if want_fast:
            why_not = decoder.supports(model)
            if why_not is None:
                progress.step(QUANTIZING)
                fast = FastLlama.from_model(model, layers=plan.decode, head=FAST_HEAD)
                if source is not None:
                    progress.step(SAVING_FAST)
                    self._store_fast(source, fast, parameters)
                fast.set_prefill(plan.prefill)
            else:
                note = f"The fast decoder is not available ({why_not}); using exact float32."
        info = self._info(
            spec, choice, model.config, tokenizer, parameters, started, cache_state, fast, note, model
        )
        if fast is not None:  # the quantized copy is all that is needed now
            return LoadedModel(None, tokenizer, info, fast, model.generation_config)
        model = model.to(choice.device).eval()
        return LoadedModel(model, tokenizer, info, None, model.generation_config)

    @staticmethod
    def _info(
        spec: ModelSpec,
        choice: DeviceChoice,
        config: Any,
        tokenizer: Any,
        parameters: int,
        started: float,
        cache_state: str,
        fast: FastLlama | None,
        note: str = "",
        model: Any = None,
    ) -> ModelInfo:
        if fast is not None:
            precision = f"fast ({fast.kinds[0]} layers, {fast.kinds[1]} output)"
        else:
            precision = f"exact ({choice.dtype})"
        info = ModelInfo(
            name=spec.display_name,
            kind=spec.kind.value,
            device=choice.device,
            dtype=choice.dtype if fast is None else "+".join(fast.kinds),
            device_reason=choice.reason,
            device_fallback=choice.fallback,
            context_window=_context_window(config, tokenizer),
            parameters=parameters,
            has_chat_template=bool(getattr(tokenizer, "chat_template", None)),
            load_seconds=time.perf_counter() - started,
            cache=cache_state,
            precision=precision,
            precision_note=note,
            memory_bytes=_weight_bytes(fast, model) if fast is not None or model is not None else 0,
            languages=_languages(spec.display_name),
        )
        log.info("Loaded %s on %s (%s) in %.1f s", info.name, info.device, precision, info.load_seconds)
        return info

    def _load_cached_fast(self, source: Path, layers: str) -> tuple[Any, Any, Any, FastLlama, int] | None:
        """The quantized decoder from the cache, without reading the full-precision weights."""
        from safetensors import safe_open
        from transformers import GenerationConfig, PretrainedConfig

        key = self._key(source)
        name = fast_file(layers)
        if not self.cache.has_file(key, name):
            return None
        folder, _ = self.cache.lookup(key, skip=_is_full_weights)
        if folder is None:
            return None
        try:
            tokenizer = _tokenizer(folder)
            # The plain config class: only its values are read here, and importing the Llama
            # classes that AutoConfig picks costs the writer about 60 MB of memory.
            config = PretrainedConfig(**json.loads((folder / "config.json").read_text(encoding="utf-8")))
            try:
                generation_config = GenerationConfig.from_pretrained(folder, local_files_only=True)
            except OSError:
                generation_config = GenerationConfig.from_model_config(config)
            with safe_open(folder / name, framework="pt") as handle:
                meta = handle.metadata()
                # copies, so every tensor is freshly allocated and 64-byte aligned: the file's
                # tensors sit at odd offsets, which the vectorised kernels read slowly or crash on
                tensors = {name: handle.get_tensor(name).clone() for name in handle.keys()}  # noqa: SIM118
            fast = FastLlama.from_state(tensors, meta)
            return tokenizer, config, generation_config, fast, int(meta["parameters"])
        except Exception as exc:  # damaged or from another torch: rebuild from the full weights
            log.warning("Cached fast weights unusable (%s); rebuilding them.", type(exc).__name__)
            return None

    def _store_fast(self, source: Path, fast: FastLlama, parameters: int) -> None:
        from safetensors.torch import save_file

        tensors, meta = fast.state()
        meta["parameters"] = str(parameters)
        key = self._key(source)
        try:
            self.cache.add_file(
                key, fast_file(fast.kinds[0]), lambda path: save_file(tensors, str(path), metadata=meta)
            )
        except (OSError, ValueError) as exc:
            log.warning("Could not cache the fast weights (%s).", type(exc).__name__)

    def _load_gguf(self, path: Path, dtype: torch.dtype, progress: LoadReporter) -> tuple[Any, Any, str]:
        _check_gguf(path)
        key = self._key(path)
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
        progress.step(SAVING)

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
        if not any((folder / name).is_file() for name in TOKENIZER_FILES):
            raise ModelLoadError(
                f"The folder {folder.name} has a model but no tokenizer (tokenizer.json or "
                "tokenizer.model). Copy the tokenizer files from the model's page into the folder."
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


def _languages(name: str) -> tuple[str, ...]:
    """The languages a model writes well, where we know them: SmolLM2 (the bundled model
    among them) was trained on English only. () for the rest: nothing is refused."""
    return ("en",) if "smollm" in name.lower() else ()
