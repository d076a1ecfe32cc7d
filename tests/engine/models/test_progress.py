"""A long load announces its steps, so the window can show a determinate bar."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.models import progress
from engine.models.progress import LoadReporter, LoadStep


def test_a_plan_and_its_steps_become_load_steps() -> None:
    heard: list[LoadStep] = []
    reporter = LoadReporter(heard.append, tail=[("Finishing", 1.0)])
    reporter.plan([("Reading", 3.0), ("Quantizing", 0.0)])
    reporter.step("Reading")
    reporter.step("Not in the plan")  # ignored: a bar never shows a step it cannot place
    reporter.step("Quantizing")
    reporter.step("Finishing")
    assert [step.label for step in heard] == ["Reading", "Quantizing", "Finishing"]
    assert heard[0].labels == ("Reading", "Quantizing", "Finishing")
    assert heard[1].expected == (3.0, 0.05, 1.0)  # no step is expected to take no time
    assert heard[0].fraction_before() == 0.0
    assert heard[2].fraction_before() == pytest.approx(3.05 / 4.05)
    LoadReporter(None).step("Reading")  # no listener: nothing happens


@pytest.mark.model
def test_a_first_start_shows_the_conversion_then_the_fast_weights(bundled_engine, fast_engine) -> None:
    exact = [step.label for step in bundled_engine.first_load_steps]
    assert exact == [progress.CONVERTING, progress.SAVING]  # the exact path keeps float32
    fast = fast_engine.first_load_steps
    assert [step.label for step in fast] == [
        progress.READING_PREPARED,  # none yet: the plan changes to building them
        progress.READING_CONVERTED,
        progress.QUANTIZING,
        progress.SAVING_FAST,
        progress.PREPARING_STEP,
    ]
    assert fast[-1].index == len(fast[-1].labels) - 1
    fractions = [step.fraction_before() for step in fast[1:]]
    assert fractions == sorted(fractions) and fractions[0] == 0.0


@pytest.mark.model
def test_a_later_start_reads_the_prepared_model_in_two_steps(cache_dir: Path, fast_engine) -> None:
    from engine.factory import create_local_engine
    from engine.models.spec import ModelSpec

    heard: list[LoadStep] = []
    with create_local_engine(cache_dir=cache_dir) as engine:
        info = engine.load(ModelSpec.bundled(), heard.append).result(timeout=300)
    assert info.cache == "hit"
    assert [step.label for step in heard] == [progress.READING_PREPARED, progress.PREPARING_STEP]
    assert sum(heard[0].expected) < 3  # seconds, where a first start expects about 20
