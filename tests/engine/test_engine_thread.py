"""The engine thread's contract, with a scripted backend: ids, cancel, errors, shutdown."""

from __future__ import annotations

import asyncio
import threading

import pytest

from engine.engine import Engine
from engine.errors import EngineClosedError, GenerationError, InputError
from engine.jobs import Chunk, Done, Failed, Request
from engine.models.spec import ModelSpec
from tests.conftest import run_async
from tests.scripted_backend import ScriptedBackend


@pytest.fixture
def engine():
    backend = ScriptedBackend(delay=0.005)
    engine = Engine(backend).start()
    engine.load(ModelSpec.bundled()).result(timeout=5)
    yield engine
    assert engine.close(timeout=5)


def test_stream_yields_deltas_and_a_result(engine: Engine) -> None:
    async def scenario():
        stream = engine.stream(Request("proofread", "some text"))
        deltas = [d async for d in stream]
        return deltas, stream.result

    deltas, result = run_async(scenario())
    assert "".join(deltas) == result.text == "A scripted reply with several words."
    assert result.stop_reason == "eos"


def test_errors_reach_the_consumer_instead_of_hanging(engine: Engine) -> None:
    engine._backend.fail_after = 2

    async def scenario():
        return [d async for d in engine.stream(Request("proofread", "some text"))]

    with pytest.raises(GenerationError, match="scripted failure"):
        run_async(scenario(), timeout=10)


def test_bad_requests_fail_through_the_stream(engine: Engine) -> None:
    async def scenario():
        return await engine.stream(Request("proofread", "")).text()

    with pytest.raises(InputError, match="empty"):
        run_async(scenario(), timeout=10)


def test_jobs_run_one_at_a_time_in_order(engine: Engine) -> None:
    events: list[tuple[int, str]] = []
    done = threading.Event()
    requests = [Request("proofread", f"text {n}") for n in range(3)]

    def sink(event):
        events.append((event.job_id, type(event).__name__))
        if isinstance(event, Done) and event.job_id == requests[-1].job_id:
            done.set()

    for request in requests:
        engine.run(request, sink)
    assert done.wait(10)
    order = [job_id for job_id, kind in events if kind == "Done"]
    assert order == [r.job_id for r in requests]
    # no interleaving: all events of a job come before the next job's first event
    firsts = [next(i for i, (j, _) in enumerate(events) if j == r.job_id) for r in requests]
    lasts = [max(i for i, (j, _) in enumerate(events) if j == r.job_id) for r in requests]
    assert lasts[0] < firsts[1] and lasts[1] < firsts[2]


def test_replace_cancels_running_and_queued_jobs(engine: Engine) -> None:
    engine._backend.delay = 0.02
    events: list = []
    finished = threading.Event()
    first, queued, last = (Request("proofread", "x") for _ in range(3))

    def sink(event):
        events.append(event)
        if isinstance(event, Done | Failed) and event.job_id == last.job_id:
            finished.set()

    engine.run(first, sink)
    engine.run(queued, sink)
    engine.run(last, sink, replace=True)
    assert finished.wait(10)
    results = {e.job_id: e.result for e in events if isinstance(e, Done)}
    assert results[first.job_id].cancelled
    assert results[queued.job_id].cancelled and results[queued.job_id].text == ""
    assert results[last.job_id].stop_reason == "eos"


def test_no_delta_after_cancel(engine: Engine) -> None:
    engine._backend.delay = 0.02

    async def scenario():
        stream = engine.stream(Request("proofread", "x"))
        got = []
        async for delta in stream:
            got.append(delta)
            stream.cancel()
            await asyncio.sleep(0.1)  # let the engine thread post whatever it had
        return got, stream.result

    got, result = run_async(scenario(), timeout=10)
    assert got == ["A"]
    assert result.cancelled and result.text == "A"


def test_late_events_of_another_job_are_dropped(engine: Engine) -> None:
    async def scenario():
        stream = engine.stream(Request("proofread", "x"))
        stream._deliver(Chunk(stream.job_id + 1000, "intruder"))
        return await stream.text()

    assert "intruder" not in run_async(scenario(), timeout=10)


def test_close_fails_queued_work_and_refuses_new_work() -> None:
    backend = ScriptedBackend(delay=0.05)
    engine = Engine(backend).start()
    engine.load(ModelSpec.bundled()).result(timeout=5)
    events: list = []
    engine.run(Request("proofread", "x"), events.append)
    pending = engine.load(ModelSpec.bundled())
    assert engine.close(timeout=5)
    assert any(isinstance(e, Done) and e.result.cancelled for e in events)
    with pytest.raises(EngineClosedError):
        pending.result(timeout=1)
    with pytest.raises(EngineClosedError):
        engine.run(Request("proofread", "x"), events.append)


def test_a_backend_made_on_the_engine_thread_serves_jobs_and_a_failed_one_says_why() -> None:
    """The window's engine builds its backend on its own thread (torch is imported there):
    jobs queued before it starts wait for it; a backend that cannot be built fails each
    job with the reason instead of hanging."""
    import threading

    from engine.errors import ModelLoadError
    from engine.models.spec import ModelSpec
    from tests.scripted_backend import ScriptedBackend

    built_on: list[str] = []

    def make() -> ScriptedBackend:
        built_on.append(threading.current_thread().name)
        return ScriptedBackend()

    engine = Engine(make_backend=make)
    assert engine.info is None
    loading = engine.load(ModelSpec.bundled())  # queued before the thread starts
    engine.start()
    assert loading.result(timeout=10).name == "scripted"
    assert built_on == ["inkwell-engine"]
    engine.close()

    def broken() -> ScriptedBackend:
        raise ImportError("no torch here")

    failing = Engine(make_backend=broken).start()
    with pytest.raises(ModelLoadError, match="could not start: no torch here"):
        failing.load(ModelSpec.bundled()).result(timeout=10)
    assert failing.close()
    with pytest.raises(ValueError):
        Engine()
