"""The review pass in the window, offscreen, on a scripted engine that proofreads by fixing
"Teh" in each paragraph it is sent."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtGui import QKeySequence, QTextCursor

from engine.engine import Engine
from engine.jobs import Request, Result
from tests.scripted_backend import ScriptedBackend
from tests.ui.conftest import open_window, run, wait_signal
from ui.controllers.review import State
from ui.main_window import MainWindow

DOCUMENT = (
    "# A chapter\n\n"
    "Teh first paragraph has a typo.\n\n"
    "The second one is fine.\n\n"
    "Teh third one has one too.\n\n"
    "The fourth one is fine as well.\n\n"
    "And Teh fifth ends it."
)
FIXED = DOCUMENT.replace("Teh", "The")


class Proofreader(ScriptedBackend):
    """Answers with the paragraph, "Teh" fixed, word by word; counts what it was asked."""

    def __init__(self) -> None:
        super().__init__(delay=0.01)
        self.asked: list[str] = []
        self.languages: list[str | None] = []

    def generate(self, request: Request, emit: Callable[[str], None], cancel: threading.Event) -> Result:
        self.asked.append(request.text)
        self.languages.append(request.language)
        answer = request.text.replace("Teh", "The")
        sent = []
        for index, word in enumerate(answer.split(" ")):
            if cancel.is_set():
                break
            time.sleep(self.delay)
            delta = word if index == 0 else " " + word
            sent.append(delta)
            emit(delta)
        stop = "cancelled" if cancel.is_set() else "eos"
        text = "".join(sent)
        return Result(request.job_id, text, text, 10, len(sent), 1.0, 100.0, stop, "scripted", "cpu")


@pytest.fixture
def proofreader() -> Proofreader:
    return Proofreader()


@pytest.fixture
def window(qtbot, ui_loop, proofreader, paths) -> Iterator[MainWindow]:
    with open_window(ui_loop, Engine(proofreader).start(), paths) as window:
        window.editor.setPlainText(DOCUMENT)
        window.editor.document().setModified(False)
        yield window


def text(window: MainWindow) -> str:
    return window.editor.document().toPlainText()


async def review_to_the_end(window: MainWindow) -> None:
    finished = wait_signal(window.review.sig_finished)
    assert window.start_review("proofread")
    await finished


def test_every_changed_paragraph_becomes_a_suggestion_in_place_and_in_the_panel(window, ui_loop) -> None:
    run(ui_loop, review_to_the_end(window))
    review = window.review
    ready = review.ready()
    assert [item.suggestion for item in ready] == [
        "The first paragraph has a typo.",
        "The third one has one too.",
        "And The fifth ends it.",
    ]
    assert text(window) == DOCUMENT  # all of it provisional
    assert sorted(review._view.shown()) == [item.key for item in ready]
    block = window.editor.document().findBlock(ready[0].end.position())
    assert "The first paragraph" in block.layout().preeditAreaText()
    assert window.review_panel.isVisible()
    assert window.review_panel.list.count() == 3
    assert window.status.state.text() == "Review done · 3 suggestions in 5 paragraphs"
    assert "paragraph 5 of 5" not in window.review_panel.header.text()  # the summary replaced it
    assert review.current == ready[0].key  # the first is in focus, its diff shown
    assert "typo" in window.review_panel.diff.toPlainText()


def test_f8_and_shift_f8_move_between_suggestions_in_text_order(window, ui_loop) -> None:
    run(ui_loop, review_to_the_end(window))
    assert window.menu_actions.next_suggestion.shortcut() == QKeySequence("F8")
    assert window.menu_actions.previous_suggestion.shortcut() == QKeySequence("Shift+F8")
    keys = [item.key for item in window.review.ready()]
    window.editor.moveCursor(QTextCursor.MoveOperation.Start)
    seen = []
    for _ in range(4):
        window.menu_actions.next_suggestion.trigger()
        seen.append(window.review.current)
    assert seen == [*keys, keys[0]]  # wraps around
    window.menu_actions.previous_suggestion.trigger()
    assert window.review.current == keys[-1]
    assert window.editor.textCursor().position() == window.review.item(keys[-1]).start.position()


def test_accept_all_is_one_undo_step_and_reject_all_leaves_the_document_byte_identical(
    window, ui_loop
) -> None:
    run(ui_loop, review_to_the_end(window))
    window.review_panel.accept_all_button.click()
    assert text(window) == FIXED
    assert window.review.ready() == [] and window.review._view.shown() == []
    window.editor.undo()
    assert text(window) == DOCUMENT
    window.editor.redo()
    assert text(window) == FIXED

    window.editor.setPlainText(DOCUMENT)
    run(ui_loop, review_to_the_end(window))
    window.review_panel.reject_all_button.click()
    assert text(window) == DOCUMENT
    assert not window.editor.document().isUndoAvailable()  # nothing entered the undo stack
    assert not window.review.active


def test_one_accept_and_one_reject_move_the_focus_on(window, ui_loop) -> None:
    run(ui_loop, review_to_the_end(window))
    first, second, third = window.review.ready()
    window.review.go_to(first.key)
    window.review_panel.accept_button.click()
    assert text(window) == DOCUMENT.replace("Teh first", "The first")
    assert window.review.current == second.key
    window.review_panel.reject_button.click()
    assert window.review.current == third.key
    assert text(window) == DOCUMENT.replace("Teh first", "The first")


def test_a_paragraph_the_writer_edits_during_the_review_is_skipped_and_marked_stale(
    window, ui_loop, proofreader
) -> None:
    async def scenario() -> None:
        first_done = wait_signal(window.review.sig_progress, lambda done, total: done == 1)
        finished = wait_signal(window.review.sig_finished)
        assert window.start_review("proofread")
        await first_done
        cursor = QTextCursor(window.editor.document())  # the writer types in the third paragraph
        cursor.setPosition(DOCUMENT.index("one has one too"))
        cursor.insertText("really ")
        await finished

    run(ui_loop, scenario())
    assert not any("really" in asked for asked in proofreader.asked)  # never sent, never overwritten
    states = {item.paragraph.text: item.state for item in window.review.items()}
    assert states["Teh third one has one too."] is State.STALE
    assert "1 edited, skipped" in window.status.state.text()
    window.review.accept_all()
    assert text(window) == FIXED.replace("The third one has", "Teh third really one has")
    assert any("edited, skipped" in window.review_panel.list.item(i).text() for i in range(2))


def test_editing_a_paragraph_with_a_waiting_suggestion_withdraws_it(window, ui_loop) -> None:
    run(ui_loop, review_to_the_end(window))
    first = window.review.ready()[0]
    cursor = QTextCursor(window.editor.document())
    cursor.setPosition(first.start.position() + 4)
    cursor.insertText("very ")
    assert first.state is State.STALE and first.key not in window.review._view.shown()
    window.review.accept_all()  # the writer's words stay
    assert text(window).startswith("# A chapter\n\nTeh very first paragraph")


def test_stopping_the_review_keeps_the_suggestions_so_far(window, ui_loop, proofreader) -> None:
    async def scenario() -> None:
        first_done = wait_signal(window.review.sig_progress, lambda done, total: done == 1)
        finished = wait_signal(window.review.sig_finished)
        assert window.start_review("proofread")
        await first_done
        window.review_panel.stop_button.click()
        await finished

    run(ui_loop, scenario())
    assert len(proofreader.asked) <= 2  # the one running when stopped, at most
    assert [item.suggestion for item in window.review.ready()] == ["The first paragraph has a typo."]
    assert window.status.state.text().startswith("Review stopped · 1 suggestion in 1 paragraphs")
    assert not window.review.running and window.review.active
    assert text(window) == DOCUMENT


def test_other_operations_wait_until_the_review_is_finished(window, ui_loop) -> None:
    run(ui_loop, review_to_the_end(window))
    window.editor.selectAll()
    assert not window.run("rewrite", style="clearer")
    assert "review is open" in window.status.message.text()
    window.review.reject_all()

    async def rewrite_now() -> None:
        assert window.run("rewrite", style="clearer")
        window.suggestions.reject()

    run(ui_loop, rewrite_now())


def test_a_review_of_a_selection_reviews_only_its_paragraphs(window, ui_loop, proofreader) -> None:
    cursor = QTextCursor(window.editor.document())
    start = DOCUMENT.index("The second")
    cursor.setPosition(start)
    cursor.setPosition(DOCUMENT.index("The fourth"), QTextCursor.MoveMode.KeepAnchor)
    window.editor.setTextCursor(cursor)
    run(ui_loop, review_to_the_end(window))
    assert proofreader.asked == ["The second one is fine.", "Teh third one has one too."]
    (only,) = window.review.ready()
    assert only.start.position() == DOCUMENT.index("Teh third")
    window.review.accept_all()
    assert text(window) == DOCUMENT.replace("Teh third", "The third")


def test_a_review_finds_nothing_to_do_in_an_empty_document(window, ui_loop) -> None:
    window.editor.setPlainText("")
    assert not window.start_review("proofread")
    assert "no paragraph" in window.status.message.text()
    assert not window.review_panel.isVisible()


def test_paragraphs_waiting_their_turn_move_with_the_writers_typing_above_them(window, ui_loop) -> None:
    async def scenario() -> None:
        first_done = wait_signal(window.review.sig_progress, lambda done, total: done == 1)
        finished = wait_signal(window.review.sig_finished)
        assert window.start_review("proofread")
        await first_done
        cursor = QTextCursor(window.editor.document())
        cursor.setPosition(len("# A chapter"))  # the heading, above every waiting paragraph
        cursor.insertText(", revised")
        await finished

    run(ui_loop, scenario())
    assert [item.state for item in window.review.items()] == [State.READY] * 3
    window.review.accept_all()
    assert text(window) == FIXED.replace("# A chapter", "# A chapter, revised")


def test_the_review_asks_with_the_windows_current_settings(window, ui_loop, proofreader) -> None:
    """The live suggestion and the review share one request builder: a spelling language
    chosen in the preferences reaches the review's proofreading too."""
    window.suggestions.set_spelling_language("de")
    run(ui_loop, review_to_the_end(window))
    assert set(proofreader.languages) == {"de"}


def test_each_answered_review_suggestion_goes_into_the_history(window, ui_loop) -> None:
    run(ui_loop, review_to_the_end(window))
    first, third, fifth = window.review.ready()
    window.review.reject(third.key)
    window.review.accept(first.key)
    assert [(e.original, e.outcome) for e in window.history.entries] == [
        ("Teh third one has one too.", "rejected"),
        ("Teh first paragraph has a typo.", "accepted"),
    ]
    window.review.accept_all()  # the fifth, the only one left
    last = window.history.entries[-1]
    assert (last.operation, last.original, last.suggestion, last.outcome) == (
        "proofread",
        fifth.paragraph.text,
        "And The fifth ends it.",
        "accepted",
    )
    assert len(window.history.entries) == 3  # a stale or unchanged paragraph is no entry
    window.history_panel.open()
    assert window.history_panel.entries.item(0).text().startswith("Accepted · Proofread")
