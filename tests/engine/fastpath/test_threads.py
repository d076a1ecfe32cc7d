"""Only the engine thread computes in parallel: a parallel torch operation anywhere else
would give that thread an OpenMP team of its own and slow every decode step down."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

PROBE = """
import json, threading
from engine.fastpath import threads
threads.configure_process()
import torch
torch.randn(512, 512).sum()  # a parallel-sized operation on the main thread first
seen = {}
def engine_thread():
    seen["engine"] = threads.use_engine_threads()
    seen["engine_torch"] = torch.get_num_threads()
    with threads.fewer_threads(1):
        seen["engine_busy"] = torch.get_num_threads()
    seen["engine_after"] = torch.get_num_threads()
worker = threading.Thread(target=engine_thread); worker.start(); worker.join()
def other_thread():
    torch.randn(512, 512).sum()
    seen["other"] = torch.get_num_threads()
worker = threading.Thread(target=other_thread); worker.start(); worker.join()
seen["main"] = torch.get_num_threads()
print(json.dumps(seen))
"""


def _probe(**env: str) -> dict:
    clean = {k: v for k, v in os.environ.items() if k not in ("OMP_NUM_THREADS", "INKWELL_THREADS")}
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_engine_thread_alone_gets_a_full_team() -> None:
    seen = _probe(INKWELL_THREADS="2")
    assert seen["engine"] == seen["engine_torch"] == 2
    assert seen["engine_busy"] == 1 and seen["engine_after"] == 2  # one core while others are busy
    assert seen["main"] == 1 and seen["other"] == 1  # before and after the engine raised its own


def test_a_writers_omp_num_threads_becomes_the_engines_count() -> None:
    seen = _probe(OMP_NUM_THREADS="3")
    assert seen["engine_torch"] == 3
    assert seen["main"] == 1


def test_the_default_is_the_physical_core_count() -> None:
    from engine.fastpath import threads

    assert threads.engine_threads() >= 1
    seen = _probe()
    assert seen["engine_torch"] == threads.physical_cores()
