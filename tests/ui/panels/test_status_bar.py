"""A long model load shows its steps on a determinate bar, with the time left."""

from __future__ import annotations

import time

from engine.engine import Engine
from engine.models.progress import LoadStep
from engine.models.spec import ModelSpec
from tests.scripted_backend import ScriptedBackend
from tests.ui.conftest import run, wait_signal
from ui.controllers.model import ModelController
from ui.panels.status_bar import StatusBar

LABELS = ("Converting the model file (once)", "Saving the converted model", "Quantizing for this CPU")


def test_the_bar_follows_the_steps_and_says_how_long_is_left(qtbot) -> None:
    bar = StatusBar()
    qtbot.addWidget(bar)
    bar.show()
    bar.start_loading("Loading model…")
    assert bar.progress.isVisible() and bar.progress.maximum() == 0  # busy until a step comes
    bar.show_load_step(LoadStep(0, LABELS, (20.0, 1.0, 1.0)))
    assert bar.progress.maximum() == 1000
    assert bar.state.text().startswith("Converting the model file (once)… (1 of 3) · about 22 s left")
    first = bar.progress.value()
    time.sleep(0.3)
    bar._show_step()  # what the timer does every 200 ms
    assert bar.progress.value() > first  # it moves within a step
    bar.show_load_step(LoadStep(2, LABELS, (20.0, 1.0, 1.0)))
    assert bar.progress.value() >= 1000 * 21 / 22 - 1
    assert "(3 of 3)" in bar.state.text()
    bar.stop_loading()
    assert not bar.progress.isVisible()
    bar.show_load_step(LoadStep(1, LABELS, (20.0, 1.0, 1.0)))  # late: the load has ended
    assert not bar.progress.isVisible()


def test_steps_from_the_engine_thread_reach_the_window_thread(qtbot, ui_loop) -> None:
    engine = Engine(ScriptedBackend()).start()
    controller = ModelController(engine)
    heard: list[str] = []
    controller.sig_progress.connect(lambda step: heard.append(step.label))

    async def scenario() -> None:
        ready = wait_signal(controller.sig_ready)
        controller.load(ModelSpec.bundled())
        await ready

    run(ui_loop, scenario())
    run(ui_loop, _settle())
    assert heard == ["Reading the script", "Learning the lines"]
    controller.shutdown()
    assert engine.close(timeout=5)


async def _settle() -> None:
    import asyncio

    await asyncio.sleep(0.1)  # the relayed steps were posted before the result
