"""Choosing the device and dtype, and saying why.

The choice is reported with its reason so a fallback (CUDA asked, CPU used) is never silent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # torch is imported where a device is chosen, on the engine thread
    import torch

DEVICES = ("auto", "cpu", "cuda", "mps")
DTYPES = ("auto", "float32", "bfloat16", "float16")


@dataclass(frozen=True)
class DeviceChoice:
    device: str
    dtype: str
    reason: str
    fallback: bool = False

    @property
    def torch_dtype(self) -> torch.dtype:
        import torch

        dtype: torch.dtype = getattr(torch, self.dtype)
        return dtype


def _mps_available() -> bool:
    import torch

    backend = getattr(torch.backends, "mps", None)
    return bool(backend is not None and backend.is_available())


def _default_dtype(device: str) -> str:
    import torch

    if device == "cuda":
        return "bfloat16" if torch.cuda.is_bf16_supported() else "float16"
    if device == "mps":
        return "float16"
    # fp32 on the CPU: exact, and what the reference `generate` uses.
    return "float32"


def choose_device(requested: str = "auto", dtype: str = "auto") -> DeviceChoice:
    """Pick CUDA, then Apple MPS, then CPU; honour an explicit request when it can be met."""
    import torch

    if requested not in DEVICES:
        raise ValueError(f"Unknown device {requested!r}; choose one of {', '.join(DEVICES)}.")
    if dtype not in DTYPES:
        raise ValueError(f"Unknown dtype {dtype!r}; choose one of {', '.join(DTYPES)}.")
    cuda = torch.cuda.is_available()
    mps = _mps_available()
    fallback = False
    if requested == "auto":
        if cuda:
            device, reason = "cuda", f"CUDA GPU found ({torch.cuda.get_device_name(0)})"
        elif mps:
            device, reason = "mps", "Apple GPU (MPS) found"
        else:
            device, reason = "cpu", "no CUDA or MPS GPU found"
    elif requested == "cuda" and not cuda:
        why = "this torch build has no CUDA" if torch.version.cuda is None else "no CUDA GPU found"
        device, reason, fallback = "cpu", f"CUDA was requested but {why}; using the CPU", True
    elif requested == "mps" and not mps:
        device, reason, fallback = "cpu", "MPS was requested but is not available; using the CPU", True
    else:
        device, reason = requested, "requested in settings"
    chosen_dtype = _default_dtype(device) if dtype == "auto" else dtype
    if device == "cpu" and chosen_dtype == "float16":
        chosen_dtype, reason = "float32", reason + "; float16 is slow on the CPU, using float32"
    return DeviceChoice(device, chosen_dtype, reason, fallback)
