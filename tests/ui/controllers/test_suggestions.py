"""The editor's suggestion lifecycle, offscreen, on a scripted engine."""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMenu

from engine.engine import Engine
from engine.errors import InputError
from engine.models.spec import ModelSpec
from engine.prompting.templates import Catalog
from tests.ui.conftest import ORIGINAL, REPLY, phase_is, run, select_block, wait_signal
from ui.dialogs.command_palette import Command
from ui.editor.text_editor import HINT
from ui.main_window import MainWindow

PARAGRAPH = ORIGINAL.split("\n\n")[1]


def text(window: MainWindow) -> str:
    return window.editor.document().toPlainText()


async def rewrite_until(window: MainWindow, *phases: str, style: str = "clearer") -> None:
    finished = wait_signal(window.suggestions.sig_phase_changed, phase_is(*phases))
    assert window.run("rewrite", style=style)
    await finished


def test_actions_wait_for_the_model(qtbot, ui_loop, backend, paths) -> None:
    engine = Engine(backend).start()
    window = MainWindow(engine, Catalog.default(), paths)
    qtbot.addWidget(window)
    assert not window.menu_actions.operations["proofread"].isEnabled()

    async def scenario() -> None:
        ready = wait_signal(window.model.sig_ready)
        window.start_loading(ModelSpec.bundled())
        await ready

    run(ui_loop, scenario())
    assert window.menu_actions.operations["proofread"].isEnabled()
    assert window.status.state.text() == "Ready"
    assert "scripted" in window.status.model.text()
    engine.close()


def test_accept_is_one_undo_step(window, ui_loop) -> None:
    select_block(window, 2)
    run(ui_loop, rewrite_until(window, "done"))
    assert text(window) == ORIGINAL  # still provisional
    window.suggestions.accept()
    assert text(window) == ORIGINAL.replace(PARAGRAPH, REPLY)
    assert window.suggestions.live is None
    window.editor.undo()
    assert text(window) == ORIGINAL
    assert not window.editor.document().isUndoAvailable()


def test_accepting_before_the_first_word_keeps_the_selection(window, ui_loop, backend) -> None:
    """Found by the fuzzer (tests/ui/test_fuzz_editing.py): Accept right after a rewrite
    started replaced the selection with nothing. Now it waits for text."""
    backend.delay = 0.2  # the first word is still on its way

    async def scenario() -> None:
        select_block(window, 2)
        window.suggestions.start("rewrite", style="clearer")
        window.suggestions.accept()
        assert text(window) == ORIGINAL and window.suggestions.live is not None
        assert not window.editor.document().isUndoAvailable()
        done = wait_signal(window.suggestions.sig_phase_changed, phase_is("done"))
        await done
        window.suggestions.accept()

    run(ui_loop, scenario())
    assert text(window) == ORIGINAL.replace(PARAGRAPH, REPLY)


def test_tab_accepts_and_escape_rejects(window, ui_loop) -> None:
    select_block(window, 2)
    run(ui_loop, rewrite_until(window, "done"))
    QTest.keyClick(window.editor, Qt.Key.Key_Escape)
    assert window.suggestions.live is None
    assert text(window) == ORIGINAL
    assert not window.editor.document().isModified()

    select_block(window, 2)
    run(ui_loop, rewrite_until(window, "done"))
    QTest.keyClick(window.editor, Qt.Key.Key_Tab)
    assert text(window) == ORIGINAL.replace(PARAGRAPH, REPLY)


def test_reject_leaves_the_document_byte_identical(window, ui_loop) -> None:
    before = text(window).encode("utf-8")
    select_block(window, 2)
    run(ui_loop, rewrite_until(window, "done"))
    window.suggestions.reject()
    assert text(window).encode("utf-8") == before
    assert not window.editor.document().isModified()
    assert not window.editor.document().isUndoAvailable()


def test_stop_keeps_a_partial_suggestion_and_nothing_more_arrives(window, ui_loop, backend) -> None:
    backend.delay = 0.03

    async def scenario() -> tuple[str, str]:
        select_block(window, 2)
        assert window.run("rewrite", style="shorter")
        got_text = wait_signal(window.suggestions.sig_rate)
        await got_text
        QTest.keyClick(window.editor, Qt.Key.Key_Escape)  # Esc while streaming stops
        at_stop = window.suggestions.live.text
        await window.suggestions.live.task  # the stream has ended for good
        await asyncio.sleep(0.2)
        return at_stop, window.suggestions.live.text

    at_stop, later = run(ui_loop, scenario())
    assert window.suggestions.phase == "stopped"
    assert at_stop and at_stop == later
    assert REPLY.startswith(at_stop) and at_stop != REPLY
    assert text(window) == ORIGINAL
    window.suggestions.accept()
    assert text(window) == ORIGINAL.replace(PARAGRAPH, at_stop)


def test_typing_elsewhere_while_streaming_does_not_move_the_suggestion(window, ui_loop, backend) -> None:
    backend.delay = 0.03

    async def scenario() -> None:
        select_block(window, 2)
        done = wait_signal(window.suggestions.sig_phase_changed, phase_is("done"))
        assert window.run("rewrite", style="clearer")
        await wait_signal(window.suggestions.sig_rate)
        # click into the title and type there, then scroll
        title_end = window.editor.document().findBlockByNumber(0).position() + len("Notes for Monday")
        rect = window.editor.cursorRect(QTextCursor(window.editor.document().findBlock(title_end)))
        QTest.mouseClick(window.editor.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        cursor = window.editor.textCursor()
        cursor.setPosition(title_end)
        window.editor.setTextCursor(cursor)
        QTest.keyClicks(window.editor, " (draft)")
        QTest.keyClick(window.editor, Qt.Key.Key_Return)
        QTest.keyClicks(window.editor, "New line.")
        window.editor.verticalScrollBar().setValue(window.editor.verticalScrollBar().maximum())
        await done

    run(ui_loop, scenario())
    window.suggestions.accept()
    expected = ORIGINAL.replace("Notes for Monday", "Notes for Monday (draft)\nNew line.").replace(
        PARAGRAPH, REPLY
    )
    assert text(window) == expected


def test_edits_inside_the_suggestion_are_blocked_with_a_hint(window, ui_loop) -> None:
    start, _ = select_block(window, 2)
    run(ui_loop, rewrite_until(window, "done"))
    hints: list[str] = []
    window.suggestions.sig_hint.connect(hints.append)
    cursor = window.editor.textCursor()
    cursor.setPosition(start + 5)
    window.editor.setTextCursor(cursor)
    QTest.keyClicks(window.editor, "xyz")
    QTest.keyClick(window.editor, Qt.Key.Key_Backspace)
    assert text(window) == ORIGINAL
    assert hints and hints[0] == HINT
    assert window.status.message.text() == HINT
    assert window.suggestions.live is not None


def test_undo_that_changes_the_original_withdraws_the_suggestion(window, ui_loop) -> None:
    cursor = window.editor.textCursor()
    cursor.setPosition(window.editor.document().findBlockByNumber(2).position() + 4)
    cursor.insertText("big ")  # an undoable edit inside the paragraph
    select_block(window, 2)
    run(ui_loop, rewrite_until(window, "done"))
    window.editor.undo()
    assert window.suggestions.live is None
    assert text(window) == ORIGINAL


def test_a_second_request_replaces_the_first_without_duplicates(window, ui_loop, backend) -> None:
    backend.delay = 0.03

    async def scenario() -> None:
        select_block(window, 2)
        assert window.run("rewrite", style="formal")
        await wait_signal(window.suggestions.sig_rate)
        first_job = window.suggestions.live.request.job_id
        select_block(window, 4)
        done = wait_signal(window.suggestions.sig_phase_changed, phase_is("done"))
        assert window.run("proofread")
        assert window.suggestions.live.request.job_id != first_job
        await done

    run(ui_loop, scenario())
    window.suggestions.accept()
    assert text(window) == ORIGINAL.replace("The budget review follows on Friday.", REPLY)
    assert text(window).count(REPLY) == 1


def test_provisional_text_never_reaches_a_saved_file(window, ui_loop, tmp_path: Path, backend) -> None:
    backend.delay = 0.03
    path = tmp_path / "doc.txt"

    async def scenario() -> None:
        select_block(window, 2)
        done = wait_signal(window.suggestions.sig_phase_changed, phase_is("done"))
        assert window.run("rewrite", style="casual")
        await wait_signal(window.suggestions.sig_rate)
        assert window.save_to(path)
        assert path.read_text(encoding="utf-8") == ORIGINAL
        await done
        assert window.save_to(path)

    run(ui_loop, scenario())
    assert path.read_text(encoding="utf-8") == ORIGINAL
    window.suggestions.accept()
    assert window.save_to(path)
    assert path.read_text(encoding="utf-8") == ORIGINAL.replace(PARAGRAPH, REPLY)


def test_tokens_are_coalesced_before_drawing(window, ui_loop, backend, monkeypatch) -> None:
    backend.reply = " ".join(f"word{n}" for n in range(300))
    backend.delay = 0.0005
    draws: list[str] = []
    original_show = window.suggestions._view.show

    def counting_show(position, pieces, replaced=None):
        draws.append("".join(p for p, _ in pieces))
        original_show(position, pieces, replaced)

    monkeypatch.setattr(window.suggestions._view, "show", counting_show)
    select_block(window, 2)
    run(ui_loop, rewrite_until(window, "done"))
    assert window.suggestions.live.text == backend.reply
    assert 1 < len(draws) < 100  # 300 deltas, far fewer redraws


def test_errors_are_shown_and_the_document_is_untouched(window, ui_loop, backend) -> None:
    cursor = window.editor.textCursor()
    cursor.clearSelection()
    window.editor.setTextCursor(cursor)
    assert not window.run("proofread")
    assert "Select the text to proofread first." in window.status.message.text()

    def too_long(request, emit, cancel):
        raise InputError("The text is too long for this model: 9,000 tokens, the window is 8,192.")

    backend.generate = too_long

    async def scenario() -> None:
        select_block(window, 2)
        error = wait_signal(window.suggestions.sig_error)
        assert window.run("summarize")
        await error

    run(ui_loop, scenario())
    assert "too long" in window.status.message.text()
    assert window.suggestions.live is None
    assert text(window) == ORIGINAL
    assert not window.editor.document().isModified()


def test_a_failure_mid_stream_keeps_the_partial_text_marked_cut_off(window, ui_loop, backend) -> None:
    backend.fail_after = 4
    select_block(window, 2)
    run(ui_loop, rewrite_until(window, "stopped"))
    live = window.suggestions.live
    assert live.cut_off and live.text == " ".join(REPLY.split(" ")[:4])
    assert "cut off" in window.status.message.text()
    assert window.suggestions.bar.status.text() == "Cut off"
    assert text(window) == ORIGINAL


def test_continue_inserts_at_the_cursor(window, ui_loop, backend) -> None:
    backend.reply = " And then the rain came."
    cursor = window.editor.textCursor()
    cursor.setPosition(window.editor.document().findBlockByNumber(4).position() + len("The budget review"))
    window.editor.setTextCursor(cursor)

    async def scenario() -> None:
        done = wait_signal(window.suggestions.sig_phase_changed, phase_is("done"))
        assert window.run("continue")
        await done

    run(ui_loop, scenario())
    assert window.suggestions.live.request.text.endswith("The budget review")
    window.suggestions.accept()
    assert text(window) == ORIGINAL.replace("The budget review", "The budget review And then the rain came.")


def test_draft_from_a_topic_goes_in_a_new_paragraph(window, ui_loop, backend) -> None:
    backend.reply = "Walking to work is good for you."
    cursor = window.editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    window.editor.setTextCursor(cursor)

    async def scenario() -> None:
        done = wait_signal(window.suggestions.sig_phase_changed, phase_is("done"))
        assert window.suggestions.start("draft", topic="walking to work")
        await done

    run(ui_loop, scenario())
    window.suggestions.accept()
    assert text(window) == ORIGINAL + "\n\nWalking to work is good for you."


def test_diff_view_shows_word_changes(window, ui_loop) -> None:
    select_block(window, 2)
    run(ui_loop, rewrite_until(window, "done"))
    window.menu_actions.diff.trigger()
    label = window.suggestions.bar.diff_label
    assert label.isVisible()
    assert "line-through" in label.text() and "alot" in label.text()
    window.menu_actions.diff.trigger()
    assert not label.isVisible()


def test_retry_regenerates_in_place_with_sampling(window, ui_loop, backend) -> None:
    select_block(window, 2)
    run(ui_loop, rewrite_until(window, "done"))
    first = window.suggestions.live.request
    backend.reply = "A second, different answer."

    async def scenario() -> None:
        done = wait_signal(window.suggestions.sig_phase_changed, phase_is("done"))
        window.menu_actions.retry.trigger()
        await done

    run(ui_loop, scenario())
    second = window.suggestions.live.request
    assert second.job_id != first.job_id and second.temperature > 0
    window.suggestions.accept()
    assert text(window) == ORIGINAL.replace(PARAGRAPH, "A second, different answer.")


def test_palette_runs_a_typed_instruction(window, ui_loop, backend) -> None:
    requests = []
    real_generate = backend.generate

    def recording(request, emit, cancel):
        requests.append(request)
        return real_generate(request, emit, cancel)

    backend.generate = recording
    select_block(window, 2)

    async def scenario() -> None:
        done = wait_signal(window.suggestions.sig_phase_changed, phase_is("done"))
        window._run_command(Command("Custom", "custom", {"instruction": "Make it rhyme"}))
        await done

    run(ui_loop, scenario())
    assert requests[-1].operation == "custom" and requests[-1].instruction == "Make it rhyme"


def test_context_menu_offers_the_operations(window) -> None:
    menu = QMenu()
    window.menu_actions.add_context_actions(menu)
    titles = [a.text() for a in menu.actions()]
    assert "&Rewrite" in titles and "&Proofread" in titles and "&Translate" in titles


def test_a_rewrite_that_drops_facts_says_so_before_accepting(window, ui_loop, backend) -> None:
    backend.missing_facts = ("450", "Elena")
    backend.reply = "The company sold units and Marco will present."
    window.editor.setPlainText("The company sold 450 units, and Marco and Elena will present.")
    select_block(window, 0)
    run(ui_loop, rewrite_until(window, "done"))
    assert "drops: 450, Elena" in window.suggestions.bar.problems.text()
    assert window.suggestions.bar.diff_label.isVisible()  # the diff opens by itself
    shown = window.suggestions.bar.diff_label.text()
    assert "450</span>" in shown and "Elena</span>" in shown and "#c0392b" in shown


def test_a_revision_replaces_the_streamed_text(window, ui_loop, backend) -> None:
    backend.revision = "A better candidate, chosen after the first."
    select_block(window, 2)
    run(ui_loop, rewrite_until(window, "done"))
    assert window.suggestions.live.text == "A better candidate, chosen after the first."
    window.suggestions.accept()
    assert text(window) == ORIGINAL.replace(PARAGRAPH, "A better candidate, chosen after the first.")


def test_the_bar_names_a_moved_fact_and_why_the_first_answer_was_replaced(window, ui_loop, backend) -> None:
    source = "The council reserved 3 million for a school and 1.5 million for a library."
    window.editor.setPlainText(source)
    cursor = window.editor.textCursor()
    cursor.select(QTextCursor.SelectionType.Document)
    window.editor.setTextCursor(cursor)
    backend.reply = "The council reserved 1.5 million for a school and 3 million for a library."
    backend.judged = True
    backend.notice = "The first answer added a figure (7); trying again…"
    backend.revision = backend.reply
    run(ui_loop, rewrite_until(window, "done"))
    status = window.suggestions.bar.problems.text()
    assert "moved: 3, 1.5" in status
    assert "added a figure" not in status  # the notice is for while it is replaced, not after
    assert window.suggestions.bar.diff_button.isChecked()  # the moved facts are marked before accepting
    assert text(window) == source  # nothing written until accepted


def test_summary_sentences_highlight_their_sources(window, ui_loop, backend) -> None:
    from engine.fidelity.summaries import SummarySentence

    source = window.editor.document().findBlockByNumber(2).text()
    start, _end = select_block(window, 2)
    backend.reply = source
    backend.sources = (SummarySentence(0, len(source), ((0, len(source)),)),)

    async def summarize() -> None:
        finished = wait_signal(window.suggestions.sig_phase_changed, phase_is("done"))
        assert window.run("summarize")
        await finished

    run(ui_loop, summarize())
    bar = window.suggestions.bar
    assert bar.sources_label.isVisible() or not bar.sources_label.isHidden()
    bar.sources_label.linkHovered.emit("0")
    marks = window.editor.extraSelections()
    spans = [(m.cursor.selectionStart(), m.cursor.selectionEnd()) for m in marks]
    assert (start, start + len(source)) in spans


def test_an_answer_that_gives_the_text_back_says_no_change_is_needed(window, ui_loop, backend) -> None:
    """Proofread that finds nothing, or a text that already reads formal, comes back as
    written: the bar says so instead of offering it as a suggestion."""
    select_block(window, 2)
    backend.reply = window.editor.textCursor().selectedText()
    run(ui_loop, rewrite_until(window, "done", style="formal"))
    assert window.suggestions.bar.status.text() == "No change needed"
    window.suggestions.reject()
    select_block(window, 2)
    backend.reply = "A different sentence altogether."
    run(ui_loop, rewrite_until(window, "done", style="formal"))
    assert window.suggestions.bar.status.text() == "Suggestion"
    assert text(window) == ORIGINAL
