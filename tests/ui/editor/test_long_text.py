"""Long texts in the window, on a scripted engine: Summarize reads a long selection in parts
and streams the combined summary as one suggestion; Continue says what it leaves out; an
operation on a text beyond the context points to the review pass."""

from __future__ import annotations

from pathlib import Path

from engine.documents import long_summary
from tests.conftest import generated_summaries
from tests.ui.conftest import REPLY, phase_is, run, wait_signal
from ui.controllers.suggestions import CONTINUE_CONTEXT_CHARS
from ui.main_window import MainWindow

LONG_TEXT = (Path(__file__).resolve().parents[3] / "benchmarks" / "data" / "python-docs.md").read_text(
    encoding="utf-8"
)[:30_000]


def test_summarize_reads_a_long_selection_in_parts_and_streams_one_summary(window, ui_loop, backend) -> None:
    window.suggestions.set_catalog(generated_summaries())  # type: ignore[arg-type]
    window.editor.setPlainText(LONG_TEXT)
    window.editor.selectAll()
    hints: list[str] = []
    window.suggestions.sig_hint.connect(hints.append)

    async def scenario() -> None:
        done = wait_signal(window.suggestions.sig_phase_changed, phase_is("done"), timeout=30)
        assert window.run("summarize")
        await done

    run(ui_loop, scenario(), timeout=40)
    parts = long_summary.split_parts(LONG_TEXT)
    assert len(parts) >= 5
    assert f"Summarizing: part 1 of {len(parts)}" in hints
    assert f"Summarizing: part {len(parts)} of {len(parts)}" in hints
    assert len(backend.prompts_sent) > len(parts)  # every part, then the combining
    assert parts[0].text[:200] in backend.prompts_sent[0]
    summary = window.suggestions.live.text
    assert summary.startswith(REPLY + "\n\n")  # the whole, then each chapter under its heading
    assert f"Whetting Your Appetite: {REPLY}" in summary
    assert any(hint.startswith("Summarizing: combining") for hint in hints)
    assert window.editor.document().toPlainText() == LONG_TEXT  # provisional until accepted
    window.suggestions.accept()
    assert window.editor.document().toPlainText() == summary
    window.editor.undo()
    assert window.editor.document().toPlainText() == LONG_TEXT


def test_stopping_a_long_summary_stops_its_parts(window, ui_loop, backend) -> None:
    window.suggestions.set_catalog(generated_summaries())  # type: ignore[arg-type]
    window.editor.setPlainText(LONG_TEXT)
    window.editor.selectAll()

    async def scenario() -> None:
        second = wait_signal(window.suggestions.sig_hint, lambda hint: "part 2 of" in hint, timeout=30)
        assert window.run("summarize")
        await second
        window.suggestions.reject()

    run(ui_loop, scenario(), timeout=40)
    sent = len(backend.prompts_sent)
    assert sent <= 3
    assert window.suggestions.live is None
    assert window.editor.document().toPlainText() == LONG_TEXT


def test_continue_says_how_much_of_a_long_text_it_leaves_out(window: MainWindow, ui_loop) -> None:
    window.editor.setPlainText(LONG_TEXT[:10_000])
    cursor = window.editor.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    window.editor.setTextCursor(cursor)
    hints: list[str] = []
    window.suggestions.sig_hint.connect(hints.append)

    async def scenario() -> None:
        assert window.run("continue")
        window.suggestions.reject()

    run(ui_loop, scenario())
    left_out = len(LONG_TEXT[:10_000]) - CONTINUE_CONTEXT_CHARS
    assert hints == [
        f"Continue reads the {CONTINUE_CONTEXT_CHARS:,} characters before the cursor; "
        f"the {left_out:,} before those are left out."
    ]
