"""Models worth downloading when the bundled 135M model is not enough, with what they cost.

The bundled SmolLM2-135M writes poor Chinese. These are small instruction-tuned models
that run on a laptop's CPU; the sizes are the hub's bfloat16 safetensors, and memory is
what the exact float32 path holds (the fast path needs far less, once converted).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Recommended:
    hub_id: str
    languages: str
    parameters_b: float  # billions
    fast_path: bool  # whether engine/fastpath runs it (else exact float32)
    note: str = ""

    @property
    def download_gb(self) -> float:
        return round(self.parameters_b * 2, 1)  # bfloat16 weights on the hub

    @property
    def memory_gb(self) -> float:
        return round(self.parameters_b * 4, 1)  # float32 while loading and on the exact path


MODELS: tuple[Recommended, ...] = (
    Recommended("Qwen/Qwen2.5-0.5B-Instruct", "中文, English and 27 more", 0.49, True),
    Recommended("Qwen/Qwen2.5-1.5B-Instruct", "中文, English and 27 more", 1.54, True),
    Recommended("HuggingFaceTB/SmolLM2-360M-Instruct", "English", 0.36, True),
    Recommended(
        "meta-llama/Llama-3.2-1B-Instruct",
        "English, German, French, Italian, Portuguese, Hindi, Spanish, Thai",
        1.24,
        False,
        "gated: accept Meta's licence on the hub and set HF_TOKEN; its llama3 rope scaling runs exact",
    ),
    Recommended(
        "meta-llama/Llama-3.2-3B-Instruct",
        "English, German, French, Italian, Portuguese, Hindi, Spanish, Thai",
        3.21,
        False,
        "gated: accept Meta's licence on the hub and set HF_TOKEN; its llama3 rope scaling runs exact",
    ),
)


def describe(model: Recommended) -> str:
    speed = "fast path" if model.fast_path else "exact path"
    return (
        f"{model.hub_id.split('/')[-1]} · {model.languages} · {model.download_gb:g} GB download · "
        f"about {model.memory_gb:g} GB memory · {speed}"
    )
