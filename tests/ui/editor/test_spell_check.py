"""Spell checking in the editor: underlines, suggestions, the writer's dictionary."""

from __future__ import annotations

import time

from PySide6.QtGui import QTextCharFormat
from PySide6.QtWidgets import QMenu

from engine.fidelity.spelling import Dictionary, PersonalWords
from tests.ui.conftest import ORIGINAL, phase_is, run, select_block, wait_signal
from ui.main_window import MainWindow


def underlined(window: MainWindow) -> list[str]:
    window.spelling.refresh()
    return [word for _start, _end, word in window.spelling.underlined]


def point_at(window: MainWindow, word: str):
    position = window.editor.document().toPlainText().index(word) + 1
    cursor = window.editor.textCursor()
    cursor.setPosition(position)
    return window.editor.cursorRect(cursor).center()


def test_unknown_words_are_underlined_on_screen(window) -> None:
    assert underlined(window) == ["alot"]
    marks = [
        s for s in window.editor.extraSelections() if s.format.fontUnderline() or s.format.underlineStyle()
    ]
    assert len(marks) == 1
    assert marks[0].format.underlineStyle() == QTextCharFormat.UnderlineStyle.SpellCheckUnderline
    assert window.editor.document().toPlainText() == ORIGINAL  # display only


def test_the_word_being_typed_waits_until_it_is_left(window) -> None:
    cursor = window.editor.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    window.editor.setTextCursor(cursor)
    window.editor.insertPlainText(" Wedn")
    assert "Wedn" not in underlined(window)
    window.editor.insertPlainText(" ")
    assert "Wedn" in underlined(window)


def test_the_menu_offers_corrections_and_a_correction_is_one_undo_step(window) -> None:
    menu = QMenu()
    window.spelling.add_actions(menu, point_at(window, "alot"))
    labels = [action.text() for action in menu.actions()]
    assert "a lot" in labels and "Add “alot” to dictionary" in labels
    assert labels.index("a lot") < labels.index("Add “alot” to dictionary")
    next(a for a in menu.actions() if a.text() == "a lot").trigger()
    assert window.editor.document().toPlainText() == ORIGINAL.replace("alot", "a lot")
    assert underlined(window) == []
    window.editor.undo()
    assert window.editor.document().toPlainText() == ORIGINAL
    known = QMenu()
    window.spelling.add_actions(known, point_at(window, "meeting"))
    assert known.actions() == []  # nothing to say about a known word


def test_add_to_dictionary_is_kept_in_the_config_folder(window, paths) -> None:
    menu = QMenu()
    window.spelling.add_actions(menu, point_at(window, "alot"))
    next(a for a in menu.actions() if a.text().startswith("Add")).trigger()
    assert underlined(window) == []
    assert (paths.config_dir / "words.txt").read_text(encoding="utf-8") == "alot\n"
    assert Dictionary("en", PersonalWords(paths.config_dir / "words.txt")).is_known("alot")


def test_underlines_follow_the_settings(window) -> None:
    from dataclasses import replace

    window.apply_editor_settings(replace(window.settings.editor, spell_check=False))
    assert underlined(window) == []
    window.apply_editor_settings(replace(window.settings.editor, spell_check=True, spelling_language="fr"))
    assert "postponed" in underlined(window)  # English words are unknown to the French dictionary
    select_block(window, 2)
    assert window.suggestions.build_request("proofread").language == "fr"


def test_underlines_and_a_live_suggestion_share_the_view(window, ui_loop) -> None:
    select_block(window, 2)

    async def rewrite() -> None:
        finished = wait_signal(window.suggestions.sig_phase_changed, phase_is("done"))
        assert window.run("rewrite", style="clearer")
        await finished

    run(ui_loop, rewrite())
    window.spelling.refresh()
    selections = window.editor.extraSelections()
    assert any(s.format.fontStrikeOut() for s in selections)  # the text being replaced
    wavy = QTextCharFormat.UnderlineStyle.SpellCheckUnderline
    assert any(s.format.underlineStyle() == wavy for s in selections)
    window.suggestions.reject()
    assert window.editor.document().toPlainText() == ORIGINAL


def test_only_the_visible_blocks_are_checked(window) -> None:
    window.editor.setPlainText("Teh quick fox jumsp over the lazy dgo.\n" * 20_000)
    started = time.perf_counter()
    found = underlined(window)
    elapsed = time.perf_counter() - started
    assert 0 < len(found) < 300  # a screenful, not 60,000 words
    assert set(found) == {"Teh", "jumsp", "dgo"}
    assert elapsed < 1.0  # generous: a screenful takes milliseconds (benchmarks measure it)
