"""The Ask panel, offscreen, on a scripted engine that runs the real asking job (quoting
needs no model): ask, stream, stop, the source links, insert as a suggestion, and the
conversation kept with the file and exported as Markdown."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl

from engine.app_paths import AppPaths
from engine.engine import Engine
from tests.scripted_backend import ScriptedBackend
from tests.ui.conftest import open_window, phase_is, run, wait_signal
from ui.main_window import MainWindow

DOCUMENT = (
    "# Harbour report\n\n"
    "The board approved the plan in March 2024 after two years of consultation.\n\n"
    "Work on the north quay started in May 2024. "
    "The contractor, Baltic Marine Works, has 46 people on site.\n\n"
    "The total budget is 18.5 million euros, and the regional council pays 5 million."
)


@pytest.fixture
def asking(qtbot, ui_loop, paths: AppPaths) -> Iterator[MainWindow]:
    backend = ScriptedBackend(delay=0.02)
    with open_window(ui_loop, Engine(backend).start(), paths) as window:
        window.editor.setPlainText(DOCUMENT)
        window.editor.document().setModified(False)
        yield window


def ask(ui_loop, window: MainWindow, question: str) -> None:
    async def scenario() -> None:
        finished = wait_signal(window.ask.sig_running_changed, lambda running: not running)
        window.open_ask()
        window.ask_panel.question.setText(question)
        window.ask_panel.ask_button.click()
        await finished

    run(ui_loop, scenario())


def test_an_answer_streams_into_the_panel_with_its_paragraph(asking: MainWindow, ui_loop) -> None:
    partials: list[str] = []
    asking.ask.sig_partial.connect(lambda _q, answer: partials.append(answer))
    ask(ui_loop, asking, "Who is the contractor?")
    (turn,) = asking.ask.turns
    assert turn.answer == "The contractor, Baltic Marine Works, has 46 people on site."
    assert len([p for p in partials if p]) > 3 and partials[-1].strip() == turn.answer  # it streamed
    assert [number for number, _s, _e in turn.sources] == [3]
    shown = asking.ask_panel.conversation.toHtml()
    assert "Baltic Marine Works" in shown and 'href="source:0"' in shown and "¶3" in shown
    assert asking.ask_panel.question.text() == ""  # ready for the next question


def test_stop_ends_the_answer_and_keeps_what_arrived(asking: MainWindow, ui_loop) -> None:
    async def scenario() -> None:
        finished = wait_signal(asking.ask.sig_running_changed, lambda running: not running)
        first = wait_signal(asking.ask.sig_partial, lambda _q, answer: bool(answer))
        asking.ask.ask("Who is the contractor?")
        assert asking.ask_panel.stop_button.isEnabled()
        await first
        asking.ask_panel.stop_button.click()
        await finished

    run(ui_loop, scenario())
    (turn,) = asking.ask.turns
    assert turn.answer.endswith("…") and len(turn.answer.split()) < 6
    assert not asking.ask_panel.stop_button.isEnabled() and asking.ask_panel.ask_button.isEnabled()


def test_a_question_the_document_cannot_answer_is_said_so(asking: MainWindow, ui_loop) -> None:
    ask(ui_loop, asking, "How many cruise ships visited last year?")
    (turn,) = asking.ask.turns
    assert not turn.found and turn.sources == ()
    assert "I found nothing about that in this document." in asking.ask_panel.conversation.toPlainText()


def test_an_empty_question_is_refused(asking: MainWindow) -> None:
    errors: list[str] = []
    asking.ask.sig_error.connect(errors.append)
    assert not asking.ask.ask("   ")
    assert errors == ["Type a question about the document first."] and asking.ask.turns == []


def test_a_source_link_highlights_its_passage_and_scrolls_to_it(asking: MainWindow, ui_loop) -> None:
    long = DOCUMENT.replace("# Harbour report", "# Harbour report" + "\n\nFiller line." * 80)
    asking.editor.setPlainText(long)
    ask(ui_loop, asking, "How much does the regional council pay?")
    asking.editor.verticalScrollBar().setValue(0)
    asking.ask_panel.conversation.anchorClicked.emit(QUrl("source:0"))
    (mark,) = asking.editor._layers["ask"]
    quoted = "The total budget is 18.5 million euros, and the regional council pays 5 million."
    assert mark.cursor.selectedText() == quoted
    assert asking.editor.verticalScrollBar().value() > 0  # scrolled down to it
    cursor_rect = asking.editor.cursorRect(asking.editor.textCursor())
    assert asking.editor.viewport().rect().contains(cursor_rect.center())


def test_insert_puts_the_answer_at_the_cursor_as_one_undo_step(asking: MainWindow, ui_loop) -> None:
    ask(ui_loop, asking, "When did work on the north quay start?")
    cursor = asking.editor.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    asking.editor.setTextCursor(cursor)
    asking.ask_panel.insert_button.click()
    assert asking.suggestions.live is not None and asking.editor.toPlainText() == DOCUMENT  # provisional
    asking.suggestions.reject()
    assert asking.editor.toPlainText() == DOCUMENT  # rejected: byte-identical
    asking.ask_panel.insert_button.click()
    asking.suggestions.accept()
    assert asking.editor.toPlainText() == DOCUMENT + "Work on the north quay started in May 2024."
    asking.editor.undo()
    assert asking.editor.toPlainText() == DOCUMENT


def test_asking_while_a_suggestion_is_written_is_refused(asking: MainWindow, ui_loop) -> None:
    errors: list[str] = []
    asking.ask.sig_error.connect(errors.append)

    async def scenario() -> None:
        streaming = wait_signal(asking.suggestions.sig_phase_changed, phase_is("streaming"))
        asking.editor.selectAll()
        asking.run("proofread")
        await streaming
        assert not asking.ask.ask("Who is the contractor?")
        asking.suggestions.reject()

    run(ui_loop, scenario())
    assert errors and "being written" in errors[0]


def test_the_conversation_is_kept_with_the_file_and_exported(
    qtbot, ui_loop, paths: AppPaths, tmp_path: Path
) -> None:
    draft = tmp_path / "report.md"
    draft.write_text(DOCUMENT, encoding="utf-8")
    with open_window(ui_loop, Engine(ScriptedBackend(delay=0.0)).start(), paths) as window:
        window.load_file(draft)
        ask(ui_loop, window, "Who is the contractor?")
        ask(ui_loop, window, "How much does the regional council pay?")
    with open_window(ui_loop, Engine(ScriptedBackend()).start(), paths) as window:  # a restart
        assert window.ask.turns == []  # an untitled document has none
        window.load_file(draft)
        assert [t.question for t in window.ask.turns] == [
            "Who is the contractor?",
            "How much does the regional council pay?",
        ]
        assert "Baltic Marine Works" in window.ask_panel.conversation.toPlainText()
        exported = tmp_path / "questions.md"
        assert window.ask.export(exported)
        markdown = exported.read_text(encoding="utf-8")
        assert markdown.startswith("# Questions about report.md")
        assert "## Who is the contractor?" in markdown and "> The contractor, Baltic Marine Works" in markdown
        assert "Source: ¶3" in markdown
    draft.unlink()  # a deleted document keeps no history once a window closes
    with open_window(ui_loop, Engine(ScriptedBackend()).start(), paths):
        pass
    assert not list((paths.data_dir / "conversations").glob("*.json"))
