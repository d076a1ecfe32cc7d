"""The History panel, offscreen, on the scripted engine: every accepted or rejected
suggestion is listed with what it replaced, can be put in again as a provisional
suggestion (one undo step) or copied, is kept with the saved file, and is cleared."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtGui import QGuiApplication

from engine.documents.suggestion_history import KEEP, HistoryEntry, SuggestionHistory
from tests.ui.conftest import ORIGINAL, REPLY, open_window, phase_is, run, wait_signal
from ui.main_window import MainWindow


def suggest(ui_loop, window: MainWindow, operation: str = "proofread", **options: str) -> None:
    async def scenario() -> None:
        done = wait_signal(window.suggestions.sig_phase_changed, phase_is("done"))
        window.editor.selectAll()
        window.run(operation, **options)
        await done

    run(ui_loop, scenario())


def test_accepted_and_rejected_suggestions_are_listed_newest_first(window: MainWindow, ui_loop) -> None:
    suggest(ui_loop, window, "rewrite", style="formal")
    window.suggestions.reject()
    assert window.editor.toPlainText() == ORIGINAL
    suggest(ui_loop, window)
    window.suggestions.accept()
    first, second = window.history.entries
    assert (first.operation, first.style, first.outcome) == ("rewrite", "formal", "rejected")
    assert (second.operation, second.outcome) == ("proofread", "accepted")
    assert first.original == second.original == ORIGINAL and first.suggestion == second.suggestion == REPLY
    window.menu_actions.history.trigger()
    panel = window.history_panel
    assert panel.isVisible() and panel.entries.count() == 2
    newest = panel.entries.item(0).text()
    assert newest.startswith("Accepted · Proofread · ") and "\nwas: Notes for Monday The meeting" in newest
    assert panel.entries.item(1).text().startswith("Rejected · Rewrite (formal)")


def test_an_entry_goes_in_again_as_one_undo_step_or_is_copied(window: MainWindow, ui_loop) -> None:
    suggest(ui_loop, window)
    window.suggestions.reject()
    window.editor.setPlainText("Start.")
    window.editor.document().setModified(False)
    cursor = window.editor.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    window.editor.setTextCursor(cursor)
    panel = window.history_panel
    panel.open()
    panel.entries.setCurrentRow(0)
    panel.reinsert_button.click()
    assert window.suggestions.live is not None and window.editor.toPlainText() == "Start."  # provisional
    window.suggestions.reject()
    assert window.editor.toPlainText() == "Start."
    panel.entries.setCurrentRow(0)
    panel.reinsert_button.click()
    window.suggestions.accept()
    assert window.editor.toPlainText() == "Start." + REPLY
    window.editor.undo()
    assert window.editor.toPlainText() == "Start."
    assert [e.outcome for e in window.history.entries] == ["rejected", "rejected", "accepted"]
    panel.entries.setCurrentRow(2)  # the first, rejected suggestion
    panel.copy_button.click()
    assert QGuiApplication.clipboard().text() == REPLY


def test_the_history_is_kept_with_the_saved_file_and_cleared(
    window: MainWindow, ui_loop, tmp_path: Path
) -> None:
    suggest(ui_loop, window)
    window.suggestions.accept()  # an untitled document: only in the window until it is saved
    assert not (tmp_path / "data" / "history").exists()
    path = tmp_path / "letter.txt"
    assert window.save_to(path)
    (stored,) = (tmp_path / "data" / "history").glob("*.json")
    assert REPLY not in str(stored) and json.loads(stored.read_text(encoding="utf-8"))["entries"]
    window.new_document()
    assert window.history.entries == [] and window.history_panel.entries.count() == 0
    assert window.load_file(path)
    assert [e.suggestion for e in window.history.entries] == [REPLY]
    window.history_panel.clear_button.click()
    assert window.history.entries == [] and not stored.exists()


def test_the_store_is_capped_and_pruned_with_the_file(tmp_path: Path) -> None:
    store = SuggestionHistory(tmp_path / "history")
    document = tmp_path / "notes.txt"
    document.write_text("x", encoding="utf-8")
    entries = [
        HistoryEntry("rewrite", f"old {i}", f"new {i}", "accepted", at=float(i)) for i in range(KEEP + 5)
    ]
    store.save(document, entries)
    kept = store.load(document)
    assert len(kept) == KEEP and kept[0].suggestion == "new 5" and kept[-1].at == KEEP + 4
    assert store.prune() == 0
    document.unlink()
    assert store.prune() == 1 and store.load(document) == []


def test_an_unreadable_history_is_empty_and_a_bad_entry_skipped(tmp_path: Path) -> None:
    store = SuggestionHistory(tmp_path / "history")
    document = tmp_path / "notes.txt"
    store.save(document, [HistoryEntry("proofread", "a", "b", "accepted")])
    (stored,) = (tmp_path / "history").glob("*.json")
    data = json.loads(stored.read_text(encoding="utf-8"))
    data["entries"].append({"operation": "rewrite", "outcome": "maybe"})
    stored.write_text(json.dumps(data), encoding="utf-8")
    assert [e.suggestion for e in store.load(document)] == ["b"]
    stored.write_text("{not json", encoding="utf-8")
    assert store.load(document) == []


def test_a_history_that_cannot_be_written_is_said_and_the_document_kept(
    qtbot, ui_loop, backend, tmp_path: Path
) -> None:
    from engine.app_paths import AppPaths
    from engine.engine import Engine

    data = tmp_path / "data"
    data.mkdir()
    (data / "history").write_text("a file where the folder should be", encoding="utf-8")
    with open_window(ui_loop, Engine(backend).start(), AppPaths(data, tmp_path / "config")) as window:
        errors: list[str] = []
        window.history.sig_error.connect(errors.append)
        path = tmp_path / "letter.txt"
        assert window.save_to(path)
        suggest(ui_loop, window)
        window.suggestions.accept()
        assert errors and "could not be kept" in errors[-1]
        assert window.editor.toPlainText() == REPLY and len(window.history.entries) == 1
