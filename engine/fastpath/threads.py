"""Which thread computes with how many cores: the engine thread with all of them, every
other thread of the process with one.

torch's CPU kernels run on OpenMP (GNU libgomp). Each thread that starts a parallel
region gets a team of its own, and once the process holds more OpenMP threads than the
machine has cores, libgomp stops letting idle team members spin and puts them to sleep
after a few hundred loops, so every matrix product pays for waking them. Measured on a
2-core Xeon: one parallel torch operation on the main thread made every later decode
step on the engine thread 3.8 times slower (35 instead of 134 tokens/s), for the life of
the process. So the process starts with `OMP_NUM_THREADS=1` (every thread runs torch
alone and forms no team) and the engine thread alone raises its own count
(`use_engine_threads`), which OpenMP keeps per thread.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
from collections.abc import Iterator
from pathlib import Path

ENV = "INKWELL_THREADS"  # how many cores the engine thread computes with


def physical_cores() -> int:
    """Cores this process may run on, hyperthread siblings counted once (torch's own default)."""
    try:
        allowed = sorted(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1
    cores = set()
    for cpu in allowed:
        topology = Path(f"/sys/devices/system/cpu/cpu{cpu}/topology")
        try:
            package = (topology / "physical_package_id").read_text().strip()
            core = (topology / "core_id").read_text().strip()
        except OSError:
            return len(allowed)
        cores.add((package, core))
    return max(1, len(cores))


def _count(value: str | None) -> int | None:
    try:
        count = int(value or "")
    except ValueError:
        return None
    return count if count > 0 else None


def engine_threads() -> int:
    """The engine thread's core count: `INKWELL_THREADS`, else the physical cores."""
    return _count(os.environ.get(ENV)) or physical_cores()


def configure_process() -> None:
    """Before torch is imported: one core for every thread but the engine's. A writer's own
    `OMP_NUM_THREADS` becomes the engine's count (it is what they meant it for)."""
    os.environ.setdefault(ENV, str(_count(os.environ.get("OMP_NUM_THREADS")) or physical_cores()))
    os.environ["OMP_NUM_THREADS"] = "1"


def _set_openmp_threads(count: int) -> bool:
    """This thread's OpenMP team size, through the libgomp torch has loaded; False where
    there is none (macOS and Windows builds use other runtimes)."""
    try:
        libgomp = ctypes.CDLL("libgomp.so.1", mode=getattr(os, "RTLD_NOLOAD", 0) | ctypes.RTLD_GLOBAL)
        libgomp.omp_set_num_threads(ctypes.c_int(count))
    except (OSError, AttributeError):
        return False
    return True


def use_engine_threads() -> int:
    """Called on the engine thread before it computes: its own OpenMP team, full size.

    `torch.set_num_threads` would also change the count that torch hands to every thread
    at its first parallel loop, so the main thread would get a full team of its own after
    all; setting OpenMP's per-thread count directly changes this thread only."""
    import torch

    count = engine_threads()
    current = torch.get_num_threads()  # the first call also fixes torch's count for this thread
    if current != count and (not _set_openmp_threads(count) or torch.get_num_threads() != count):
        torch.set_num_threads(count)
    return count


@contextlib.contextmanager
def fewer_threads(count: int | None) -> Iterator[None]:
    """This thread computes with `count` cores inside the block (None: unchanged), then with
    the engine's count again: a long prompt is read with one core while other programs keep
    the others busy, which the decode step finds out by timing itself."""
    if not count or count >= engine_threads() or not _set_openmp_threads(count):
        yield
        return
    try:
        yield
    finally:
        _set_openmp_threads(engine_threads())


def others_running(looks: int = 8) -> float | None:
    """How many threads of other programs are running or waiting for a core right now: the
    kernel's count of runnable threads (/proc/stat) less this process's own, averaged over
    a few instant looks (well under a millisecond in all). A prompt looks before it is read,
    so a browser busy on one core is known before the first matrix product, not after
    dozens of slow decode steps. None where the counts cannot be read (not Linux)."""
    total = 0
    try:
        for _ in range(looks):
            stat = Path("/proc/stat").read_text(encoding="ascii")
            running = int(stat.split("procs_running", 1)[1].split(None, 1)[0])
            own = 0
            for task in Path("/proc/self/task").iterdir():
                try:
                    state = (task / "stat").read_text(encoding="ascii").rsplit(")", 1)[1].split(None, 1)[0]
                except OSError:  # the thread ended meanwhile
                    continue
                own += state == "R"
            total += max(0, running - own)
    except (OSError, ValueError, IndexError):
        return None
    return total / looks
