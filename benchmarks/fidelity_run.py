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
    args = parser.parse_args()
    sys.path.insert(0, str(args.repo.resolve()))
    import main as inkwell_main

    inkwell_main.configure_environment()
    from engine.factory import create_local_engine, create_remote_engine
    from engine.jobs import Request
    from engine.spec import ModelSpec

    engine = (create_remote_engine(args.server) if args.server else create_local_engine()).start()
    engine.load(ModelSpec.bundled()).result(timeout=600)
    jobs = json.loads(args.jobs.read_text(encoding="utf-8"))

    async def one(job: dict) -> dict:
        request = Request(job["operation"], job["text"], style=job.get("style"))
        started = time.perf_counter()
        try:
            stream = engine.stream(request)
            text = "".join([delta async for delta in stream])
            result = stream.result
            return {
                "answer": text,
                "seconds": time.perf_counter() - started,
                "new_tokens": result.new_tokens,
                "stop_reason": str(result.stop_reason),
            }
        except Exception as exc:  # a failure is an answer the writer did not get
            return {"answer": "", "error": f"{type(exc).__name__}: {exc}", "seconds": 0.0}

    answers = [asyncio.run(one(job)) for job in jobs]
    engine.close(timeout=30)
    args.out.write_text(json.dumps(answers), encoding="utf-8")


if __name__ == "__main__":
    main()
