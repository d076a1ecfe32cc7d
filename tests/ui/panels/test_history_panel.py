"""The History panel, offscreen, on the scripted engine: every accepted or rejected
suggestion is listed with what it replaced, can be put in again as a provisional
suggestion (one undo step) or copied, is kept with the saved file, and is cleared."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from engine.documents.recovery import RecoveryStore
from engine.documents.suggestion_history import KEEP, HistoryEntry, SuggestionHistory, records_of
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


def recovery_meta(paths) -> dict:
    (meta,) = paths.recovery_dir.glob("*.json")
    return json.loads(meta.read_text(encoding="utf-8"))


def crash_with(paths, text: str, source: Path | None, history: list[dict] | None = None) -> None:
    """A recovery copy left by an app that is gone (its lock released)."""
    crashed = RecoveryStore(paths.recovery_dir).new_entry()
    crashed.save(text, source, source.name if source else "Untitled", history)
    os.close(crashed._lock_fd)
    time.sleep(0.01)


def test_an_untitled_documents_history_goes_into_its_recovery_copy(
    window: MainWindow, ui_loop, paths, tmp_path: Path
) -> None:
    suggest(ui_loop, window)
    window.suggestions.accept()
    window.document.autosaver.save_now()
    assert [r["outcome"] for r in recovery_meta(paths)["history"]] == ["accepted"]
    suggest(ui_loop, window, "rewrite", style="casual")
    window.suggestions.reject()  # the text is as it was: the settled suggestion alone is written

    async def autosaved() -> None:
        await wait_signal(window.document.autosaver.sig_saved, timeout=10)

    run(ui_loop, autosaved())
    history = recovery_meta(paths)["history"]
    assert [(r["operation"], r["outcome"]) for r in history] == [
        ("proofread", "accepted"),
        ("rewrite", "rejected"),
    ]
    assert window.save_to(tmp_path / "saved.txt")
    assert list(paths.recovery_dir.glob("*.json")) == []  # saved: no copy, the history is the file's
    window.editor.insertPlainText(" More.")
    window.document.autosaver.save_now()
    assert "history" not in recovery_meta(paths)  # a saved file's history has its own home


def test_a_crashed_untitled_documents_history_comes_back_and_is_discarded_with_it(
    window: MainWindow, paths
) -> None:
    kept = [HistoryEntry("rewrite", "Old words.", "New words.", "accepted", "formal", at=1.0)]
    crash_with(paths, "Draft with New words.", None, records_of(kept))
    crash_with(paths, "Another draft.", None, records_of([HistoryEntry("proofread", "a", "b", "rejected")]))
    assert window.offer_recovery()
    dialog = window.recovery_dialog
    assert dialog is not None and dialog.list.count() == 2
    texts = [dialog.list.item(i).data(Qt.ItemDataRole.UserRole).text for i in range(2)]
    dialog.list.setCurrentRow(texts.index("Another draft."))
    dialog.discard_button.click()  # its text and its history go together
    dialog.list.setCurrentRow(0)
    dialog.restore_button.click()
    assert window.editor.text() == "Draft with New words." and window.document.path is None
    assert window.history.entries == kept
    window.history_panel.open()
    assert window.history_panel.entries.item(0).text().startswith("Accepted · Rewrite (formal)")
    assert RecoveryStore(paths.recovery_dir).orphans() == []
    assert recovery_meta(paths)["history"] == records_of(kept)  # the window's own copy keeps it
    assert "b" not in [e.suggestion for e in window.history.entries]


def test_a_restored_files_history_is_loaded_with_it(window: MainWindow, paths, tmp_path: Path) -> None:
    source = tmp_path / "novel.txt"
    source.write_text("Chapter one.\n", encoding="utf-8")
    entries = [HistoryEntry("shorten", "Long chapter.", "Chapter.", "accepted", at=2.0)]
    window.history_store.save(source, entries)
    crash_with(paths, "Chapter one.\nTyped before the crash.", source)
    assert window.offer_recovery()
    window.recovery_dialog.restore_button.click()
    assert window.document.path == source.resolve() and window.history.document == source.resolve()
    assert window.history.entries == entries


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
