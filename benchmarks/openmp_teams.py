"""What a parallel torch operation on another thread costs the engine thread.

    .venv/bin/python benchmarks/openmp_teams.py [--calls 2000]

Two fresh processes each run the model's largest layer product (4-bit, one row, as a
decode step does) on an engine thread, after the main thread has run one parallel-sized
torch operation (as a UI or a test harness may):
  inkwell   the process set up as the app is (engine/fastpath/threads.py: one core for every
            thread but the engine's)
  default   torch's defaults (every thread gets a team of all cores)
With more OpenMP threads than cores, libgomp stops letting idle team members spin, and
every product pays for waking them. Prints JSON with microseconds per product and the
ratio; the machine is recorded with it, since the effect depends on the core count.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHILD = """
import json, sys, threading, time
mode, calls = sys.argv[1], int(sys.argv[2])
from engine.fastpath import threads
if mode == "inkwell":
    threads.configure_process()
import torch
from engine.fastpath.decoder import Int4Linear
torch.randn(2048, 2048).sum()  # one parallel operation on the main thread
out = {}
def engine_thread():
    if mode == "inkwell":
        threads.use_engine_threads()
    linear, x = Int4Linear(torch.randn(3072, 576)), torch.randn(1, 576)
    for _ in range(100):
        linear(x)
    started = time.perf_counter()
    for _ in range(calls):
        linear(x)
    out["us"] = (time.perf_counter() - started) / calls * 1e6
    out["threads"] = torch.get_num_threads()
worker = threading.Thread(target=engine_thread)
worker.start()
worker.join()
print(json.dumps(out))
"""


def run(mode: str, calls: int) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(calls)], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    import torch

    from engine.fastpath import cpu_plan

    samples: dict[str, list[float]] = {"inkwell": [], "default": []}
    threads: dict[str, int] = {}
    for _ in range(args.rounds):  # alternated
        for mode in samples:
            result = run(mode, args.calls)
            samples[mode].append(result["us"])
            threads[mode] = result["threads"]
    best = {mode: round(min(values), 1) for mode, values in samples.items()}
    print(
        json.dumps(
            {
                "cpu": cpu_plan.cpu_model(),
                "capability": torch.backends.cpu.get_cpu_capability(),
                "engine_threads": threads,
                "us_per_product": best,
                "default_over_inkwell": round(best["default"] / best["inkwell"], 2),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
