"""Alternatives side by side and the words the model was unsure of, offscreen on the
scripted engine: Alt+] and Alt+[ cycle through clean alternatives ("2 of 3" in the bar),
an accepted alternative is one undo step, the unsure words are underlined, and choosing
another word there writes the rest again from it."""

from __future__ import annotations

import asyncio
import re

from PySide6.QtCore import QPoint

from engine.generation.word_confidence import WordConfidence
from tests.ui.conftest import ORIGINAL, phase_is, run, select_block, wait_signal
from ui.editor import confidence_marks
from ui.main_window import MainWindow

SOURCE = "The meeting was postponed because alot of the team members was sick."  # block 2 of ORIGINAL
FIRST = "The meeting was postponed because many team members were sick."
OTHERS = (
    "Because many team members were sick, the meeting was postponed.",
    "The meeting was postponed as many team members were sick.",
)


def rewrite(ui_loop, window: MainWindow) -> None:
    """Clearer on the second paragraph; the scripted model answers FIRST."""
    window.suggestions._engine._backend.reply = FIRST

    async def scenario() -> None:
        done = wait_signal(window.suggestions.sig_phase_changed, phase_is("done"))
        select_block(window, 2)
        window.run("rewrite", style="clearer")
        await done

    run(ui_loop, scenario())


def cycle(ui_loop, window: MainWindow, action) -> None:
    """Trigger Alt+] or Alt+[, and wait while the alternatives are being found."""
    suggestions = window.suggestions

    async def settled() -> None:
        action.trigger()  # on the running loop, as in the window
        while suggestions.live is not None and suggestions.live.finding is not None:
            await asyncio.sleep(0.01)

    run(ui_loop, settled())


def test_alt_brackets_cycle_through_clean_alternatives(window: MainWindow, backend, ui_loop) -> None:
    backend.alternatives = OTHERS
    rewrite(ui_loop, window)
    suggestions, actions = window.suggestions, window.menu_actions
    assert actions.next_alternative.shortcut().toString() == "Alt+]"
    assert actions.previous_alternative.shortcut().toString() == "Alt+["
    cycle(ui_loop, window, actions.next_alternative)
    live = suggestions.live
    assert live is not None and [a.text for a in live.alternatives] == [FIRST, *OTHERS]
    asked = backend.requests[-1]
    assert asked.alternatives == 3 and asked.text == SOURCE  # the Preferences' default N
    assert live.text == OTHERS[0] and suggestions.bar.alternatives_label.text() == "· 2 of 3"
    cycle(ui_loop, window, actions.next_alternative)
    assert live.text == OTHERS[1] and suggestions.bar.alternatives_label.text() == "· 3 of 3"
    actions.next_alternative.trigger()
    assert live.text == FIRST and suggestions.bar.alternatives_label.text() == "· 1 of 3"
    actions.previous_alternative.trigger()
    assert live.text == OTHERS[1]
    assert len(backend.requests) == 2  # cycling again asks nothing more
    assert window.editor.toPlainText() == ORIGINAL  # still provisional
    suggestions.accept()
    assert window.editor.toPlainText() == ORIGINAL.replace(SOURCE, OTHERS[1])
    window.editor.undo()
    assert window.editor.toPlainText() == ORIGINAL
    assert window.history.entries[-1].suggestion == OTHERS[1]


def test_only_a_clean_alternative_is_offered(window: MainWindow, backend, ui_loop) -> None:
    backend.alternatives = (
        "The meeting was postponed to 3 June because many team members were sick.",  # adds a date
        "The meeting was postponed because a lot of the team members were sick.",  # not clearer
        "The meeting was postponed because many team members were sick!",  # the same answer
    )
    hints: list[str] = []
    window.suggestions.sig_hint.connect(hints.append)
    rewrite(ui_loop, window)
    cycle(ui_loop, window, window.menu_actions.next_alternative)
    live = window.suggestions.live
    assert (
        live is not None and live.text == FIRST and not window.suggestions.bar.alternatives_label.isVisible()
    )
    assert hints and "only clean one" in hints[-1]


def test_rejecting_while_alternatives_are_sought_leaves_the_document(
    window: MainWindow, backend, ui_loop
) -> None:
    backend.alternatives = OTHERS
    rewrite(ui_loop, window)

    async def scenario() -> None:
        window.menu_actions.next_alternative.trigger()
        assert window.suggestions.bar.alternatives_label.text() == "· finding alternatives…"
        window.suggestions.reject()
        await asyncio.sleep(0.2)

    run(ui_loop, scenario())
    assert window.editor.toPlainText() == ORIGINAL and window.suggestions.live is None
    assert not window.suggestions.bar.alternatives_label.isVisible()


def unsure_words(text: str) -> tuple[WordConfidence, ...]:
    """ "moved" unsure, with two other choices; every other word sure."""
    words = []
    for match in re.finditer(r"\S+", text):
        unsure = match.group() == "postponed"
        others = ((" delayed", 0.31), (" moved", 0.12)) if unsure else ()
        words.append(WordConfidence(match.start(), match.end(), 0.2 if unsure else 0.97, others))
    return tuple(words)


def test_unsure_words_are_underlined_and_another_word_writes_the_rest_again(
    window: MainWindow, backend, ui_loop
) -> None:
    backend.confidence = unsure_words(FIRST)
    rewrite(ui_loop, window)
    suggestions = window.suggestions
    live = suggestions.live
    assert live is not None and live.result is not None
    assert backend.requests[-1].confidence  # the window asks for it
    pieces = confidence_marks.pieces("", live.text, live.result.confidence)
    underlined = [text for text, fmt in pieces if fmt.underlineStyle() != fmt.UnderlineStyle.NoUnderline]
    assert underlined == ["postponed"]
    window.editor.viewport().repaint()
    # find the underlined word on screen: scan the suggestion's line for it
    start = FIRST.index("postponed")
    found = None
    for y in range(0, window.editor.viewport().height(), 3):
        for x in range(0, window.editor.viewport().width(), 3):
            word = suggestions.unsure_word_at(QPoint(x, y))
            if word is not None:
                found = (QPoint(x, y), word)
                break
        if found:
            break
    assert found is not None and found[1].start == start
    assert suggestions.offer_words(found[0], window.editor.viewport().mapToGlobal(found[0]))
    menu = suggestions.word_menu
    assert menu is not None
    labels = [action.text() for action in menu.actions()]
    assert labels[0] == "“postponed”: 20% sure" and labels[1:] == ["delayed  (31%)", "moved  (12%)"]

    async def choose() -> None:
        done = wait_signal(suggestions.sig_phase_changed, phase_is("done"))
        menu.actions()[1].trigger()
        await done

    run(ui_loop, choose())
    asked = backend.requests[-1]
    assert asked.answer_prefix == "The meeting was delayed" and asked.temperature == 0
    assert live.text == "The meeting was delayed and the rest follows."
    assert window.editor.toPlainText() == ORIGINAL
    suggestions.accept()
    assert window.editor.toPlainText() == ORIGINAL.replace(SOURCE, live.text)
    window.editor.undo()
    assert window.editor.toPlainText() == ORIGINAL


def test_an_alternative_shows_its_own_unsure_words(window: MainWindow, backend, ui_loop) -> None:
    backend.alternatives = OTHERS
    backend.confidence = unsure_words(FIRST)
    backend.confidence_of = unsure_words  # "postponed" unsure wherever it stands alone
    rewrite(ui_loop, window)
    suggestions, actions = window.suggestions, window.menu_actions
    cycle(ui_loop, window, actions.next_alternative)
    live = suggestions.live
    assert live is not None and live.text == OTHERS[0] and backend.requests[-1].confidence
    assert confidence_marks.unsure(suggestions._confidence(live)) == []  # "postponed." is not the word
    assert "unsure" not in suggestions.bar.status.text()
    cycle(ui_loop, window, actions.next_alternative)
    assert live.text == OTHERS[1]
    words = suggestions._confidence(live)
    (unsure,) = confidence_marks.unsure(words)
    assert unsure.start == OTHERS[1].index("postponed") and unsure.end == unsure.start + len("postponed")
    assert "1 unsure word: click it" in suggestions.bar.status.text()
    actions.next_alternative.trigger()  # back to the first answer: its own words again
    assert live.text == FIRST and suggestions._confidence(live) == unsure_words(FIRST)
