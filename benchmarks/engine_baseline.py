"""Baseline numbers for the bundled model through the engine: load, time to first token,
decode speed, peak memory. Prints one JSON object.

    .venv/bin/python benchmarks/engine_baseline.py [--runs 5]

Loads run in fresh subprocesses (a cold one into an empty cache, then cached ones), so
import and conversion costs are what a writer sees at start-up.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BENCH_OPERATION = """
[operations.bench]
label = "Benchmark"
rewrite_like = false
stop_at_blank_line = false
stop_on_loop = false
min_new_tokens = 128
max_new_tokens = 128
chat = "Write a long, detailed essay about the text below.\\n\\n{text}"
"""
# About 150 prompt tokens with the chat template and system prompt.
PASSAGE = (
    "The meeting was postponed because a lot of the team members were sick, and we decided "
    "that we would try to reschedule it for some time next week, when hopefully everyone will "
    "be feeling better and able to attend. In the meantime, the project plan has been shared "
    "with the wider group, and comments are welcome until Friday. The design review will "
    "follow the meeting, and the budget discussion has been moved to the end of the month."
)


def _child_load(cache: str) -> None:
    """Run in a subprocess: time imports and one load of the bundled model."""
    os.environ["INKWELL_CACHE_DIR"] = cache
    started = time.perf_counter()
    import main

    main.configure_environment()
    from engine.device import choose_device
    from engine.loader import ModelLoader
    from engine.model_cache import ConvertedModelCache
    from engine.spec import ModelSpec

    imported = time.perf_counter()
    loaded = ModelLoader(ConvertedModelCache(Path(cache))).load(ModelSpec.bundled(), choose_device())
    done = time.perf_counter()
    print(
        json.dumps(
            {
                "import_s": imported - started,
                "load_s": done - imported,
                "total_s": done - started,
                "cache": loaded.info.cache,
            }
        )
    )


def _load_in_subprocess(cache: str) -> dict:
    proc = subprocess.run(
        [sys.executable, __file__, "--child-load", cache], capture_output=True, text=True, check=True
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


async def _generate(runs: int) -> dict:
    import main

    main.configure_environment()
    from engine.factory import create_local_engine
    from engine.jobs import Request
    from engine.spec import ModelSpec
    from engine.templates import Catalog

    catalog = Catalog.from_toml(BENCH_OPERATION, base=Catalog.default())
    engine = create_local_engine(catalog=catalog).start()
    try:
        info = await asyncio.wrap_future(engine.load(ModelSpec.bundled()))
        results = []
        for index in range(runs + 1):  # the first is a warm-up
            stream = engine.stream(Request("bench", PASSAGE))
            await stream.text()
            if index:
                results.append(stream.result)
    finally:
        engine.close()
    ttft = [r.ttft_ms for r in results]
    rate = [r.tokens_per_s for r in results]
    return {
        "model": info.name,
        "device": info.device,
        "dtype": info.dtype,
        "threads": __import__("torch").get_num_threads(),
        "prompt_tokens": results[0].prompt_tokens,
        "new_tokens": [r.new_tokens for r in results],
        "ttft_ms": {"median": statistics.median(ttft), "min": min(ttft)},
        "decode_tokens_per_s": {"median": statistics.median(rate), "max": max(rate)},
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child-load")
    args = parser.parse_args()
    if args.child_load:
        _child_load(args.child_load)
        return
    with tempfile.TemporaryDirectory(prefix="inkwell-bench-") as cache:
        cold = _load_in_subprocess(cache)
        cached = [_load_in_subprocess(cache) for _ in range(3)]
        os.environ["INKWELL_CACHE_DIR"] = cache
        generation = asyncio.run(_generate(args.runs))
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report = {
        "cold_load": cold,
        "cached_load": {
            "load_s_median": statistics.median(c["load_s"] for c in cached),
            "total_s_median": statistics.median(c["total_s"] for c in cached),
            "cache": [c["cache"] for c in cached],
        },
        "generation": generation,
        "peak_rss_mb": round(peak_rss_mb, 1),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
