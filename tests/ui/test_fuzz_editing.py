"""Random editing sessions against a plain model of the document (hypothesis, stateful).

Rules never depend on the timing of the stream (hypothesis replays and shrinks
sequences, so what it may draw must not change with thread timing): a rule that has
nothing to act on, such as Accept with no suggestion, does nothing.

Each sequence opens a window on a scripted backend that streams at a random speed and
sometimes fails mid-stream, and runs up to 50 random steps: typing, deleting, moving the
cursor, selecting, starting an operation, letting it stream, accepting, rejecting,
stopping, retrying, undo/redo, saving, an autosave tick and reloading from disk. After
every step the document must equal the model: what was typed plus what was accepted.

`make test` runs 100 sequences; `make fuzz` runs 1,000 (INKWELL_FUZZ_EXAMPLES) and prints
the totals. A failing case that hypothesis shrinks becomes a regular test below.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from PySide6.QtGui import QTextCursor

from engine.app_paths import AppPaths
from engine.engine import Engine
from engine.models.spec import ModelSpec
from engine.prompting.templates import Catalog
from tests.scripted_backend import ScriptedBackend
from tests.ui.conftest import wait_signal
from ui.main_window import MainWindow

EXAMPLES = int(os.environ.get("INKWELL_FUZZ_EXAMPLES", "100"))
REPORT = os.environ.get("INKWELL_FUZZ_REPORT")  # a JSON file for `make fuzz`'s summary
REPLY = "Short and clear: the plan moved to 3 June, 中文 too."
PIECES = ["a", "word ", "Two words. ", "中文", "\n", "\n\n", "naïve ", "42"]
STYLES = ["clearer", "shorter", "formal"]

TOTALS: dict[str, int] = {
    "sequences": 0,
    "steps": 0,
    "violations": 0,
    "operations": 0,  # suggestions started
    "accepted": 0,  # accepted with text, each checked as one undo step
    "saves": 0,
    "reloads": 0,
}
LOOP: dict[str, Any] = {}


class EditingSession(RuleBasedStateMachine):
    """The window, and the model of what its document must hold."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="inkwell-fuzz-"))
        self.backend = ScriptedBackend(reply=REPLY, delay=0.0)
        self.engine = Engine(self.backend).start()
        paths = AppPaths(self.folder / "data", self.folder / "config")
        self.window = MainWindow(self.engine, Catalog.default(), paths)
        self.window.resize(700, 500)
        self.window.show()
        self.loop = LOOP["loop"]
        ready = wait_signal(self.window.model.sig_ready)
        self.window.start_loading(ModelSpec.bundled())
        self.loop.run_until_complete(ready)
        self.path = self.folder / "story.txt"
        self.model = ""  # what the document must hold
        self.saved: str | None = None  # what the file on disk must hold
        self.live: dict[str, Any] | None = None  # the model of a live suggestion
        TOTALS["sequences"] += 1

    # -- helpers -----------------------------------------------------------------

    @property
    def editor(self) -> Any:
        return self.window.editor

    @property
    def controller(self) -> Any:
        return self.window.suggestions

    def text(self) -> str:
        return str(self.editor.text())

    def act(self, action: Any, *args: Any, **options: Any) -> Any:
        """Run a slot inside the event loop, as a menu click does (streams need it)."""

        async def call() -> Any:
            return action(*args, **options)

        return self.loop.run_until_complete(call())

    def pump(self, seconds: float) -> None:
        self.loop.run_until_complete(asyncio.sleep(seconds))
        self.sync_live()

    def sync_live(self) -> None:
        """A suggestion may end by itself (a failure with nothing streamed): the document
        must then be as it was, which the invariant checks."""
        if self.live is not None and self.controller.live is None:
            self.live = None

    def outside(self, fraction: float) -> int | None:
        """A position for an edit: anywhere, or away from the live suggestion's range."""
        length = len(self.model)
        position = round(fraction * length)
        if self.live is None:
            return position
        start, end = self.live["range"]
        choices = [p for p in (position, start - 1, end + 1, 0, length) if 0 <= p <= length]
        for p in choices:
            if p < start or p > end:
                return p
        return None

    def shift(self, at: int, delta: int) -> None:
        if self.live is not None:
            start, end = self.live["range"]
            if at < start:
                self.live["range"] = (start + delta, end + delta)

    def step(self) -> None:
        TOTALS["steps"] += 1

    # -- rules -------------------------------------------------------------------

    @initialize(
        text=st.sampled_from(["", "Notes for Monday.\n\nThe meeting was postponed.", "一二三。 Four five."])
    )
    def start_with(self, text: str) -> None:
        self.editor.setPlainText(text)
        self.editor.document().setModified(False)
        self.model = text

    @rule(where=st.floats(0, 1), piece=st.sampled_from(PIECES))
    def type_text(self, where: float, piece: str) -> None:
        self.step()
        position = self.outside(where)
        if position is None:
            return
        cursor = self.editor.textCursor()
        cursor.setPosition(position)
        self.editor.setTextCursor(cursor)
        cursor.insertText(piece)
        self.model = self.model[:position] + piece + self.model[position:]
        self.shift(position, len(piece))

    @rule(where=st.floats(0, 1), count=st.integers(1, 6))
    def delete(self, where: float, count: int) -> None:
        self.step()
        start = self.outside(where)
        if start is None:
            return
        end = min(len(self.model), start + count)
        if self.live is not None:
            low, _high = self.live["range"]
            if start < low:
                end = min(end, low)  # up to the suggestion, never into it
        if end <= start:
            return
        cursor = self.editor.textCursor()
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()
        self.model = self.model[:start] + self.model[end:]
        self.shift(start, start - end)

    @rule(a=st.floats(0, 1), b=st.floats(0, 1))
    def select(self, a: float, b: float) -> None:
        self.step()
        length = len(self.model)
        cursor = self.editor.textCursor()
        cursor.setPosition(round(a * length))
        cursor.setPosition(round(b * length), QTextCursor.MoveMode.KeepAnchor)
        self.editor.setTextCursor(cursor)

    @rule(
        operation=st.sampled_from(["rewrite", "rewrite", "continue"]),
        style=st.sampled_from(STYLES),
        a=st.floats(0, 1),
        b=st.floats(0, 1),
        delay=st.sampled_from([0.0, 0.0005, 0.002]),
        fail_after=st.one_of(st.none(), st.integers(0, 10)),
    )
    def start_operation(
        self, operation: str, style: str, a: float, b: float, delay: float, fail_after: int | None
    ) -> None:
        self.step()
        self.backend.delay, self.backend.fail_after = delay, fail_after
        length = len(self.model)
        low, high = sorted((round(a * length), round(b * length)))
        cursor = self.editor.textCursor()
        if operation == "rewrite":
            cursor.setPosition(low)
            cursor.setPosition(high, QTextCursor.MoveMode.KeepAnchor)
        else:
            cursor.setPosition(high)
        self.editor.setTextCursor(cursor)
        started = self.act(self.controller.start, operation, style=style if operation == "rewrite" else None)
        self.live = None  # a new request replaces the live one
        live = self.controller.live
        TOTALS["operations"] += started
        if started and live is not None:  # a failure before any text may already have ended it
            self.live = {"range": live.range, "replaces": live.replaces, "original": live.original}
            if operation == "rewrite":
                assert live.range == (low, high) and live.original == self.model[low:high]

    @rule(
        operation=st.sampled_from(["rewrite", "continue"]),
        a=st.floats(0, 1),
        b=st.floats(0, 1),
        keep=st.booleans(),
    )
    def operation_to_the_end(self, operation: str, a: float, b: float, keep: bool) -> None:
        """The whole common path in one step (start, stream, accept or reject), so that even
        the short derandomized run in `make test` accepts and rejects many suggestions."""
        self.start_operation(operation, "clearer", a, b, 0.0, None)
        if keep:
            self.finish_then_accept()
        else:
            self.reject()

    @rule(seconds=st.sampled_from([0.0, 0.005, 0.02]))
    def let_it_stream(self, seconds: float) -> None:
        self.step()
        self.pump(seconds)

    @rule()
    def finish_then_accept(self) -> None:
        """Let the stream end (or fail), then accept: the common path, made frequent."""
        for _ in range(200):
            if self.controller.live is None or self.controller.phase != "streaming":
                break
            self.pump(0.005)
        self.accept()

    @rule()
    def accept(self) -> None:
        self.step()
        self.sync_live()
        if self.live is None:  # nothing to accept (rules never depend on timing: see below)
            return
        before = self.text()
        start, end = self.live["range"]
        self.controller.accept()
        self.sync_live()
        if self.controller.live is not None:  # no text had arrived: nothing was accepted
            assert self.text() == before
            return
        self.live = None
        after = self.text()
        head, tail = self.model[:start], self.model[end:]
        assert after.startswith(head) and after.endswith(tail), (after, head, tail)
        inserted = after[len(head) : len(after) - len(tail)]
        body = inserted[2:] if inserted.startswith("\n\n") else inserted
        assert REPLY.startswith(body), (inserted, REPLY)  # only what streamed, never more
        self.editor.undo()  # one accept is exactly one undo step
        assert self.text() == before
        self.editor.redo()
        assert self.text() == after
        self.model = after
        TOTALS["accepted"] += 1

    @rule()
    def reject(self) -> None:
        self.step()
        self.controller.reject()
        self.live = None

    @rule()
    def stop(self) -> None:
        self.step()
        self.controller.stop()

    @rule(fail_after=st.one_of(st.none(), st.integers(0, 10)))
    def retry(self, fail_after: int | None) -> None:
        self.step()
        if self.live is None:
            return
        self.backend.fail_after = fail_after
        self.act(self.controller.retry)

    @rule()
    def undo_and_redo(self) -> None:
        self.step()
        self.sync_live()
        if self.live is not None or not self.editor.document().isUndoAvailable():
            return
        before = self.text()
        self.editor.undo()
        undone = self.text()
        self.editor.redo()
        assert self.text() == before
        self.editor.undo()
        assert self.text() == undone
        self.model = undone

    @rule()
    def save(self) -> None:
        self.step()
        assert self.window.save_to(self.path)
        on_disk = self.path.read_text(encoding="utf-8")
        assert on_disk == self.model  # never the provisional suggestion
        self.saved = on_disk
        TOTALS["saves"] += 1

    @rule()
    def autosave_tick(self) -> None:
        self.step()
        autosaver = self.window.document.autosaver
        autosaver.save_now()
        copies = list((self.folder / "data" / "recovery").glob("*.txt"))
        if self.editor.document().isModified():
            assert [copy.read_text(encoding="utf-8") for copy in copies] == [self.model]
        else:
            assert copies == []  # saved: nothing to recover

    @precondition(lambda self: self.saved is not None)
    @rule()
    def reload_from_disk(self) -> None:
        self.step()
        assert self.window.load_file(self.path)
        self.live = None
        self.model = self.saved or ""
        TOTALS["reloads"] += 1

    # -- after every step ----------------------------------------------------------

    @invariant()
    def the_document_is_the_model(self) -> None:
        self.sync_live()
        try:
            assert self.text() == self.model
            if self.live is not None and self.controller.live is not None:
                assert self.controller.live.range == self.live["range"]
                if self.live["replaces"]:
                    start, end = self.live["range"]
                    assert self.model[start:end] == self.live["original"]
        except AssertionError:
            TOTALS["violations"] += 1
            raise

    def teardown(self) -> None:
        self.controller.reject()
        self.editor.document().setModified(False)
        self.window.close()
        self.window.deleteLater()
        self.engine.close(timeout=5)
        self.loop.run_until_complete(asyncio.sleep(0))
        shutil.rmtree(self.folder, ignore_errors=True)


EditingSession.TestCase.settings = settings(
    max_examples=EXAMPLES,
    stateful_step_count=50,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=EXAMPLES <= 100,  # `make test` runs the same 100 sequences every time
)


@pytest.fixture
def fuzz_loop(ui_loop) -> Any:
    LOOP["loop"] = ui_loop
    yield ui_loop
    LOOP.clear()


def test_random_editing_sessions_keep_the_document_exact(fuzz_loop, qapp) -> None:
    try:
        EditingSession.TestCase("runTest").runTest()
    finally:
        if REPORT:
            Path(REPORT).write_text(json.dumps(TOTALS), encoding="utf-8")
    assert TOTALS["sequences"] >= min(EXAMPLES, 100) and TOTALS["violations"] == 0
