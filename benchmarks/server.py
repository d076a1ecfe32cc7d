"""The same operation through the llama.cpp server and through the local backend.

    .venv/bin/python benchmarks/server.py [--runs 5] [--parallel 4]

Starts llama-cpp-python's OpenAI-compatible server on the bundled GGUF (loopback, a free
port), then alternates the same 128-token request through the server backend and the
local (fast) backend, and finally sends N proofread requests from N CLI processes at once
and checks each answer equals the one it gets alone. Prints JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from engine.fastpath.threads import engine_threads  # noqa: E402

OPERATION = """
[operations.bench]
label = "Benchmark"
rewrite_like = false
stop_at_blank_line = false
stop_on_loop = false
min_new_tokens = 128
max_new_tokens = 128
chat = "Write a long, detailed essay about the text below.\\n\\n{text}"
"""
PASSAGE = (
    "The meeting was postponed because a lot of the team members were sick, and we decided to "
    "reschedule it for some time next week, when hopefully everyone will be feeling better."
)


async def timed(engine, request_factory) -> tuple[float, float, int]:
    stream = engine.stream(request_factory())
    await stream.text()
    result = stream.result
    return result.ttft_ms, result.tokens_per_s, result.new_tokens


def cli(args: list[str], text: str) -> tuple[int, str, float]:
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "run", *args, "-"],
        input=text.encode(),
        capture_output=True,
        timeout=600,
        cwd=ROOT,
    )
    return proc.returncode, proc.stdout.decode(), time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--parallel", type=int, default=4)
    args = parser.parse_args()
    import main as inkwell_main

    inkwell_main.configure_environment()

    from engine.factory import create_local_engine, create_remote_engine
    from engine.jobs import Request
    from engine.models.spec import ModelSpec, ServerSpec
    from engine.prompting.templates import Catalog

    catalog = Catalog.from_toml(OPERATION, base=Catalog.default())
    from engine.models.spec import bundled_model_path
    from tests.serve_llama_cpp import start_llama_server, stop_server

    process, url = start_llama_server(bundled_model_path(), engine_threads(), timeout=240)
    try:
        remote = create_remote_engine(catalog).start()
        remote.load(ServerSpec(url)).result()
        local = create_local_engine(catalog=catalog).start()
        local.load(ModelSpec.bundled()).result()
        samples: dict[str, list] = {"server": [], "local": []}
        for index in range(args.runs + 1):
            for name, engine in (("server", remote), ("local", local)):
                if name == "local":
                    local.submit(local._backend.loaded.fast.forget).result()  # no prefix reuse
                time.sleep(0.3)
                sample = asyncio.run(timed(engine, lambda: Request("bench", PASSAGE)))
                if index:
                    samples[name].append(sample)
        remote.close()
        local.close()
        report: dict = {"threads": engine_threads(), "runs": args.runs}
        for name, values in samples.items():
            report[name] = {
                "ttft_ms_median": round(statistics.median(v[0] for v in values), 1),
                "tokens_per_s_median": round(statistics.median(v[1] for v in values), 2),
                "new_tokens": values[0][2],
            }
        report["server_vs_local_tokens_per_s"] = round(
            report["server"]["tokens_per_s_median"] / report["local"]["tokens_per_s_median"], 3
        )
        texts = [
            f"Note {n}: the {w} was late again today, and nobody knowed why."
            for n, w in enumerate(
                ["bus", "train", "boat", "plane", "tram", "ferry", "taxi", "coach"][: args.parallel]
            )
        ]
        alone = [cli(["proofread", "--server", url], text) for text in texts]
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=len(texts)) as pool:
            together = list(pool.map(lambda text: cli(["proofread", "--server", url], text), texts))
        report["parallel_cli_requests"] = {
            "requests": len(texts),
            "all_completed": all(code == 0 for code, _, _ in together),
            "answers_match_alone": [a[1] for a in alone] == [t[1] for t in together],
            "wall_s": round(time.perf_counter() - started, 2),
            "server_streams_at_once": 1,
            "note": "llama-cpp-python serves one stream at a time; the others queue",
        }
    finally:
        stop_server(process)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
