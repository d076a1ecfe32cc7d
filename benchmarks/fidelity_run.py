"""Runs the fidelity benchmark's requests through one engine, in a process of its own.

    python benchmarks/fidelity_run.py --repo PATH --jobs JOBS.json --out OUT.json [--server URL]

`--repo` is the checkout whose `engine` package is used: this one, or a worktree of main as
it was before the fidelity work (benchmarks/fidelity.py makes it), so both rows run the
same requests through the code of their day. Only the API both have is used: the
factory, `Request` and `Engine.stream`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repo", type=Path, required=True)
    parser.add_argument("--jobs", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--server", default="")
    parser.add_argument(
        "--copy-speed", action="store_true", help="also time rewrites with and without copy drafts"
    )
    args = parser.parse_args()
    sys.path.insert(0, str(args.repo.resolve()))
    import main as inkwell_main

    inkwell_main.configure_environment()
    from engine.factory import create_local_engine, create_remote_engine
    from engine.jobs import Request

    try:  # this checkout: specs of their own kind, under engine/models/
        from engine.models.spec import ModelSpec, ServerSpec
    except ImportError:  # main before the fidelity work: a server URL went to the factory
        from engine.spec import ModelSpec  # type: ignore[import-not-found, no-redef]

        ServerSpec = None

    if args.server and ServerSpec is not None:
        engine = create_remote_engine().start()
        spec = ServerSpec(args.server)
    else:
        engine = (create_remote_engine(args.server) if args.server else create_local_engine()).start()
        spec = ModelSpec.bundled()
    engine.load(spec).result(timeout=600)
    jobs = json.loads(args.jobs.read_text(encoding="utf-8"))

    async def one(job: dict) -> dict:
        request = Request(job["operation"], job["text"], style=job.get("style"))
        started = time.perf_counter()
        try:
            stream = engine.stream(request)
            async for _delta in stream:
                pass
            result = stream.result  # the final text (a revision may have replaced the first)
            return {
                "answer": result.text,
                "seconds": time.perf_counter() - started,
                "new_tokens": result.new_tokens,
                "stop_reason": str(result.stop_reason),
            }
        except Exception as exc:  # a failure is an answer the writer did not get
            return {"answer": "", "error": f"{type(exc).__name__}: {exc}", "seconds": 0.0}

    answers: list[dict] = [asyncio.run(one(job)) for job in jobs]
    if args.copy_speed:
        rewrites = [job for job in jobs if job["operation"] == "rewrite"]
        answers.append(
            {"copy_speed": engine.submit(lambda: copy_speed(engine, rewrites)).result(timeout=3600)}
        )
    engine.close(timeout=30)
    args.out.write_text(json.dumps(answers), encoding="utf-8")


def copy_speed(engine: object, jobs: list[dict]) -> dict:
    """Greedy rewrites decoded on the fast path (on the engine thread) three ways: token by
    token with the step the app would use (compiled, once built), token by token with the
    eager step, and with copy drafts (checked with the eager step's numbers). Tokens per
    second of each, and whether the copy-draft tokens equal the eager ones."""
    import statistics
    import threading

    from engine.generation.loops import Settings, decode
    from engine.jobs import Request

    backend = engine._backend  # type: ignore[attr-defined]
    loaded = backend.loaded
    ways = {"default": {}, "eager": {"eager": True}, "copy": {"copy": True, "eager": True}}
    rates: dict[str, list[float]] = {way: [] for way in ways}
    same = drafted = total = 0
    for job in jobs:
        request = Request("rewrite", job["text"], style=job["style"])
        prompt = backend.render(request)
        ids = backend.encode(prompt)
        tokens = {}
        for way, options in ways.items():
            loaded.fast.forget()
            settings = Settings(
                max_new=160, wanted=160, min_new=1, temperature=0.0, top_p=1.0, seed=None, **options
            )
            out = decode(
                loaded,
                ids,
                settings,
                backend._cleaner(request, prompt),
                lambda _d: None,
                threading.Event(),
                source_ids=ids[0].tolist(),
            )
            rates[way].append(out.decode_rate)
            tokens[way] = out.token_ids
            if way == "copy":
                drafted, total = drafted + out.drafted, total + len(out.token_ids)
        same += tokens["eager"] == tokens["copy"]
    median = {way: statistics.median(values) for way, values in rates.items()}
    return {
        "rewrites": len(jobs),
        "copy_tokens_equal_eager_tokens": f"{same}/{len(jobs)}",
        "tokens_per_s_default_step": round(median["default"], 1),
        "tokens_per_s_eager_step": round(median["eager"], 1),
        "tokens_per_s_copy_drafts": round(median["copy"], 1),
        "copy_vs_default": round(median["copy"] / median["default"], 2) if median["default"] else None,
        "copy_vs_eager": round(median["copy"] / median["eager"], 2) if median["eager"] else None,
        "drafted_share": round(drafted / total, 3) if total else None,
        "compiled_step_attached": bool(loaded.fast.compiled),
        "cpu_capability": __import__("torch").backends.cpu.get_cpu_capability(),
    }


if __name__ == "__main__":
    main()
