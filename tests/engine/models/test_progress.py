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


@pytest.fixture(scope="module")
def first_fast_start(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[LoadStep]]:
    """A first start on the fast path, in a cache of its own (the shared one may already
    hold the fast weights, depending on which tests ran first)."""
    from engine.factory import create_local_engine
    from engine.models.spec import ModelSpec

    cache = tmp_path_factory.mktemp("first-start")
    heard: list[LoadStep] = []
    with create_local_engine(cache_dir=cache) as engine:
        info = engine.load(ModelSpec.bundled(), heard.append).result(timeout=300)
    assert info.cache == "built"
    return cache, heard


@pytest.mark.model
def test_a_first_start_shows_the_conversion_then_the_fast_weights(bundled_engine, first_fast_start) -> None:
    exact = [step.label for step in bundled_engine.first_load_steps]
    assert exact == [progress.CONVERTING, progress.SAVING]  # the exact path keeps float32
    _cache, fast = first_fast_start
    assert [step.label for step in fast] == [
        progress.READING_PREPARED,  # none yet: the plan changes to building them
        progress.CONVERTING,
        progress.SAVING,
        progress.QUANTIZING,
        progress.SAVING_FAST,
        progress.PREPARING_STEP,
    ]
    assert fast[-1].index == len(fast[-1].labels) - 1
    fractions = [step.fraction_before() for step in fast[1:]]
    assert fractions == sorted(fractions) and fractions[0] == 0.0
    assert sum(fast[1].expected) > 10  # seconds: a first start is long, and says so


@pytest.mark.model
def test_a_later_start_reads_the_prepared_model_in_two_steps(first_fast_start) -> None:
    from engine.factory import create_local_engine
    from engine.models.spec import ModelSpec

    cache, _first = first_fast_start
    heard: list[LoadStep] = []
    with create_local_engine(cache_dir=cache) as engine:
        info = engine.load(ModelSpec.bundled(), heard.append).result(timeout=300)
    assert info.cache == "hit"
    assert [step.label for step in heard] == [progress.READING_PREPARED, progress.PREPARING_STEP]
    assert sum(heard[0].expected) < 3  # seconds, where a first start expects about 20
