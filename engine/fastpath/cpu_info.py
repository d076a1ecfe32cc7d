"""What the CPU is, read from /proc/cpuinfo: its name and the instructions that decide
which kernels run fastest. A module of its own so the kernels (native_step.py), the
decoder and the plan can all read it without importing each other."""

from __future__ import annotations

import platform
from pathlib import Path


def _cpuinfo(field: str) -> str:
    """The first value of `field` in /proc/cpuinfo ("" where there is none)."""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith(field):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return ""


def cpu_model() -> str:
    """The CPU's marketing name, as `lscpu` shows it."""
    return _cpuinfo("model name") or platform.processor() or platform.machine()


def has_int8_dot_product() -> bool:
    """Whether the CPU has an int8 dot-product instruction (AVX-512 VNNI or AVX-VNNI), with
    which the native int8 tiles read a prompt about twice as fast as float32 does."""
    flags = set(_cpuinfo("flags").split())
    return bool(flags & {"avx512_vnni", "avx_vnni"})
