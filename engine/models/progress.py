"""How far a model load has come, in steps the writer can read, with the time each takes.

A first start converts the bundled GGUF and prepares the fast weights (about 20 s on a
2-core laptop); later starts take about a second. The loader announces its plan (each
step with the seconds it usually takes for this file's size) and each step as it starts.
The plain `LoadStep` crosses to the window, which turns it into a determinate bar and an
estimate of the time left.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

# Seconds per MB of GGUF file for the steps that scale with the model, and fixed costs,
# measured on a 2-core AVX512 Xeon for the 94 MB bundled model (converting 19.3 s,
# saving 0.8 s, quantizing 0.8 s, saving the fast weights 0.15 s, the native step 1.0 s).
CONVERT_S_PER_MB = 0.21
SAVE_S_PER_MB = 0.009
QUANTIZE_S_PER_MB = 0.009
SAVE_FAST_S_PER_MB = 0.002
READ_PREPARED_S_PER_MB = 0.003
PREPARE_STEP_S = 1.0

CONVERTING = "Converting the model file (once)"
SAVING = "Saving the converted model"
READING_CONVERTED = "Reading the converted model"
QUANTIZING = "Quantizing for this CPU"
SAVING_FAST = "Saving the fast weights"
READING_PREPARED = "Reading the prepared model"
READING = "Reading the model"
PREPARING_STEP = "Preparing the fast decode step"


@dataclass(frozen=True)
class LoadStep:
    """Step `index` of a load's plan is starting; `expected` holds each step's seconds."""

    index: int
    labels: tuple[str, ...]
    expected: tuple[float, ...]

    @property
    def label(self) -> str:
        return self.labels[self.index]

    def fraction_before(self) -> float:
        """The share of the whole load that the finished steps are expected to take."""
        total = sum(self.expected)
        return sum(self.expected[: self.index]) / total if total else 0.0


ProgressSink = Callable[[LoadStep], None]


class LoadReporter:
    """Used on the engine thread by whoever loads: `plan` the steps, then `step` each."""

    def __init__(self, sink: ProgressSink | None, tail: list[tuple[str, float]] | None = None) -> None:
        """`tail`: steps the caller adds after the loader's own (e.g. preparing the step)."""
        self._sink = sink
        self._tail = tail or []
        self._labels: tuple[str, ...] = ()
        self._expected: tuple[float, ...] = ()

    def plan(self, steps: list[tuple[str, float]]) -> None:
        """The steps from here on (a cache hit changes the plan: announce it again)."""
        steps = steps + self._tail
        self._labels = tuple(label for label, _ in steps)
        self._expected = tuple(max(0.05, seconds) for _, seconds in steps)

    def step(self, label: str) -> None:
        if self._sink is None or label not in self._labels:
            return
        self._sink(LoadStep(self._labels.index(label), self._labels, self._expected))
