"""Generation speed on a CUDA GPU: the engine's GPU defaults against plain `generate`.

    PYTHON=python3 benchmarks/gpu.sh        (or: python benchmarks/gpu_speed.py)

The engine on CUDA runs `generate` in bfloat16, eager, with the default dynamic cache.
The alternative is a static KV cache, with which `transformers` compiles the decoding
step: much faster per token, but every new process pays the compile for its first
prompt lengths (reported as `first_run_with_compile_s`), which is why the engine does
not use it. Same prompts as `speed.py` (about 150, 1000 and 2000 tokens), 128 greedy new
tokens, runs alternated after a warm-up. Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

NEW_TOKENS = 128


def timed_generate(model, ids, torch, **options) -> tuple[float, float]:
    """(time to first token in ms, decode tokens/s) of one greedy generation."""
    from transformers.generation.streamers import BaseStreamer

    stamps: list[float] = []

    class Clock(BaseStreamer):
        def put(self, value):
            torch.cuda.synchronize()
            stamps.append(time.perf_counter())

        def end(self):
            pass

    torch.cuda.synchronize()
    started = time.perf_counter()
    with torch.inference_mode():
        model.generate(
            ids,
            max_new_tokens=NEW_TOKENS,
            min_new_tokens=NEW_TOKENS,
            do_sample=False,
            temperature=None,
            top_p=None,
            top_k=None,
            streamer=Clock(),
            **options,
        )
    first, last = stamps[1], stamps[-1]
    return (first - started) * 1000, (len(stamps) - 2) / (last - first)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--lengths", default="150,1000,2000")
    args = parser.parse_args()
    import main as inkwell_main

    inkwell_main.configure_environment()
    import torch

    if not torch.cuda.is_available():
        print(json.dumps({"error": "no CUDA GPU (or a CPU-only torch)"}))
        raise SystemExit(1)
    from benchmarks.speed import passage
    from engine.generation.loops import device_generate_options
    from engine.models.cache import ConvertedModelCache, default_cache_dir
    from engine.models.device import choose_device
    from engine.models.loader import ModelLoader
    from engine.models.spec import ModelSpec

    choice = choose_device("cuda")
    started = time.perf_counter()
    loaded = ModelLoader(ConvertedModelCache(default_cache_dir())).load(ModelSpec.bundled(), choice, "exact")
    report: dict = {
        "device": torch.cuda.get_device_name(0),
        "dtype": choice.dtype,
        "load_s": round(time.perf_counter() - started, 2),
        "engine_options": device_generate_options("cuda"),
        "compiled_options": device_generate_options("cuda", compiled=True),
        "prompts": {},
    }
    model, tokenizer = loaded.model, loaded.tokenizer
    for target in (int(n) for n in args.lengths.split(",")):
        text = passage(tokenizer, target)
        chat = tokenizer.apply_chat_template(
            [{"role": "user", "content": "Continue this essay.\n\n" + text}],
            add_generation_prompt=True,
            tokenize=False,
        )
        ids = tokenizer(chat, add_special_tokens=False, return_tensors="pt").input_ids.to("cuda")
        compiled_options = device_generate_options("cuda", compiled=True)
        warm = time.perf_counter()
        timed_generate(model, ids, torch, **compiled_options)  # compiles
        compile_s = time.perf_counter() - warm
        timed_generate(model, ids, torch, **device_generate_options("cuda"))
        engine, compiled = [], []
        for _ in range(args.runs):
            engine.append(timed_generate(model, ids, torch, **device_generate_options("cuda")))
            compiled.append(timed_generate(model, ids, torch, **compiled_options))
        report["prompts"][str(target)] = {
            "prompt_tokens": int(ids.shape[1]),
            "engine_eager_dynamic_cache": {
                "ttft_ms": round(statistics.median(t for t, _ in engine), 1),
                "decode_tokens_per_s": round(statistics.median(r for _, r in engine), 1),
            },
            "static_cache_compiled": {
                "first_run_with_compile_s": round(compile_s, 1),
                "ttft_ms": round(statistics.median(t for t, _ in compiled), 1),
                "decode_tokens_per_s": round(statistics.median(r for _, r in compiled), 1),
            },
            "compiled_vs_engine_decode": round(
                statistics.median(c[1] / e[1] for c, e in zip(compiled, engine, strict=True)), 3
            ),
        }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
