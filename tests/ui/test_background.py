"""Background work reports on the Qt thread, and nothing after its owner closed."""

from __future__ import annotations

import asyncio
import threading

from tests.ui.conftest import run
from ui.background import Background


def test_results_and_progress_arrive_on_the_qt_thread_and_stop_at_cancel(ui_loop) -> None:
    qt_thread = threading.current_thread()
    seen: list[tuple[str, object, threading.Thread]] = []
    release = threading.Event()

    async def scenario() -> None:
        background = Background()
        progress = background.relay(lambda n: seen.append(("progress", n, threading.current_thread())))

        def work() -> int:
            progress(1)
            return 42

        finished = asyncio.Event()

        def done(result: object) -> None:
            seen.append(("done", result, threading.current_thread()))
            finished.set()

        background.run(work, done)
        await finished.wait()
        failed = lambda result: seen.append(("failed", result, threading.current_thread()))  # noqa: E731
        background.run(lambda: 1 / 0, failed)
        await asyncio.sleep(0.2)

        def late() -> str:  # finishes after its owner has gone
            release.wait(5)
            progress(2)
            return "too late"

        background.run(late, lambda result: seen.append(("late", result, threading.current_thread())))
        background.cancel_all()
        release.set()
        await asyncio.sleep(0.3)

    run(ui_loop, scenario())
    kinds = [kind for kind, _value, _thread in seen]
    assert kinds == ["progress", "done", "failed"]
    assert seen[1][1] == 42 and isinstance(seen[2][1], ZeroDivisionError)
    assert all(thread is qt_thread for _kind, _value, thread in seen)


def test_work_asked_for_after_the_owners_loop_closed_is_dropped(qapp) -> None:
    """A dialog's timer may fire after its window's loop is gone (a test's teardown, the
    app quitting): nothing runs and nothing raises."""
    import qasync

    loop = qasync.QEventLoop(qapp, already_running=False)
    asyncio.set_event_loop(loop)
    try:
        background = Background()
    finally:
        loop.close()
        asyncio.set_event_loop(None)
    ran: list[int] = []
    background.run(lambda: ran.append(1) or 1, lambda _result: ran.append(2))
    assert ran == []
