"""Wording that excludes or stereotypes, in the editor: underlined, offered on right-click
with its reason, never applied; a chosen alternative is one undo step."""

from __future__ import annotations

from PySide6.QtWidgets import QMenu

from tests.ui.conftest import phase_is, run, select_block, wait_signal
from tests.ui.editor.test_spell_check import point_at
from ui.main_window import MainWindow

TEXT = 'The chairman opened the meeting.\n\n"The chairman is late," she said. Chairman Mao was not invited.'


def flagged(window: MainWindow) -> list[str]:
    window.wording.refresh()
    return [flag.text for flag in window.wording.flags]


def test_flagged_wording_is_offered_and_never_applied(window) -> None:
    window.editor.setPlainText(TEXT)
    assert flagged(window) == ["chairman"]  # the quote and the name are left alone
    assert window.editor.toPlainText() == TEXT
    menu = QMenu()
    window.wording.add_actions(menu, point_at(window, "chairman"))
    labels = [action.text() for action in menu.actions()]
    assert labels[0].startswith("“chairman”: A job title") and not menu.actions()[0].isEnabled()
    assert "Write “chair”" in labels and "Write “chairperson”" in labels
    assert window.editor.toPlainText() == TEXT  # offering changes nothing
    next(a for a in menu.actions() if a.text() == "Write “chair”").trigger()
    assert window.editor.toPlainText() == TEXT.replace("The chairman opened", "The chair opened")
    assert flagged(window) == []
    window.editor.undo()
    assert window.editor.toPlainText() == TEXT


def test_proofread_names_the_wording_it_leaves_for_the_writer(window, backend, ui_loop) -> None:
    """The scripted backend plays the real flags back as Proofread's result does."""
    from engine.fidelity.inclusive import check

    backend.reply = "Every employee must bring his badge."
    backend.flags = tuple(check(backend.reply))
    window.editor.setPlainText("Every employe must bring his badge.")
    select_block(window, 0)

    async def scenario() -> None:
        done = wait_signal(window.suggestions.sig_phase_changed, phase_is("done"))
        assert window.run("proofread")
        await done

    run(ui_loop, scenario())
    assert "Wording to reconsider: “his”" in window.status.message.text()
    window.suggestions.accept()
    assert window.editor.toPlainText() == "Every employee must bring his badge."  # "his" stays until chosen
    assert flagged(window) == ["his"]
