"""Bad input gets a clear message and loses nothing: the cases not covered elsewhere.

The table of bad inputs in docs/RELIABILITY.md names the test for each; these are the ones that live
in the window: huge files, files that vanish or turn read-only, a full disk during an
autosave, a model folder without its tokenizer, a shortcut that is already taken.
"""

from __future__ import annotations

import errno
import os
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QKeySequence
from transformers import LlamaConfig, LlamaForCausalLM

from engine.documents import files, recovery
from engine.errors import ModelLoadError
from engine.factory import create_local_engine
from engine.models.spec import ModelSpec
from tests.ui.conftest import ORIGINAL, run


def type_at_end(window, text: str) -> None:
    cursor = window.editor.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    cursor.insertText(text)


def test_a_100_mb_file_is_refused_at_once_with_the_reason_and_the_window_keeps_working(
    window, tmp_path: Path, ui_loop
) -> None:
    huge = tmp_path / "archive.txt"
    with huge.open("wb") as handle:
        handle.truncate(100 * 2**20)  # sparse: 100 MB on paper
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start(10)
    started = time.perf_counter()
    assert not window.load_file(huge)
    elapsed = time.perf_counter() - started
    run(ui_loop, __import__("asyncio").sleep(0.1))
    timer.stop()
    assert elapsed < 5 and ticks  # refused in well under 5 s, and the event loop runs on
    assert "100 MB" in window.status.message.text() and "up to 50 MB" in window.status.message.text()
    assert window.editor.text() == ORIGINAL


def test_a_20_mb_file_opens_within_5_seconds(window, tmp_path: Path) -> None:
    line = "The lighthouse keeper wrote every evening, whatever the weather.\n"
    big = tmp_path / "long.txt"
    big.write_text(line * (20 * 2**20 // len(line)), encoding="utf-8")
    started = time.perf_counter()
    assert window.load_file(big)
    assert time.perf_counter() - started < 5
    assert len(window.editor.text()) > 19 * 2**20


def test_a_file_deleted_while_open_is_written_anew_on_save(window, tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text("Chapter one.\n", encoding="utf-8")
    window.load_file(path)
    path.unlink()
    window.document.check_disk()
    type_at_end(window, "More.")
    assert window.save()
    assert path.read_text(encoding="utf-8") == "Chapter one.\nMore."


def test_a_file_made_read_only_while_open_is_not_overwritten(window, tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text("Chapter one.\n", encoding="utf-8")
    window.load_file(path)
    os.chmod(path, 0o444)
    try:
        type_at_end(window, "More.")
        assert not window.save()
        assert "story.txt is read-only" in window.status.message.text()
        assert "Save As" in window.status.message.text()
        assert path.read_text(encoding="utf-8") == "Chapter one.\n"
        assert window.editor.document().isModified() and window.editor.text().endswith("More.")
    finally:
        os.chmod(path, 0o644)


def test_a_full_disk_during_an_autosave_is_said_once_and_the_document_is_kept(window, monkeypatch) -> None:
    def full(path: Path, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(recovery, "atomic_write", full)
    errors: list[str] = []
    window.document.sig_error.connect(errors.append)
    type_at_end(window, " typed")
    window.document.autosaver.save_now()
    type_at_end(window, " more")
    window.document.autosaver.save_now()
    assert len(errors) == 1 and "Autosave failed" in errors[0] and "No space left" in errors[0]
    assert window.editor.text() == ORIGINAL + " typed more"


def test_a_full_disk_during_a_save_keeps_the_file_and_the_document(
    window, tmp_path: Path, monkeypatch
) -> None:
    path = tmp_path / "story.txt"
    path.write_text("Chapter one.\n", encoding="utf-8")
    window.load_file(path)
    type_at_end(window, "More.")
    real_fdopen = os.fdopen

    def full_fdopen(*args, **kwargs):
        handle = real_fdopen(*args, **kwargs)

        def write(data: bytes) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

        handle.write = write
        return handle

    monkeypatch.setattr(files.os, "fdopen", full_fdopen)
    assert not window.save()
    assert (
        "No space left" in window.status.message.text()
        and "still open and unsaved" in window.status.message.text()
    )
    assert path.read_text(encoding="utf-8") == "Chapter one.\n"
    assert not list(tmp_path.glob(".*.inkwell-tmp"))  # the half-written copy is removed
    assert window.editor.text().endswith("More.") and window.editor.document().isModified()


@pytest.mark.model
def test_a_model_folder_without_its_tokenizer_is_named(tmp_path: Path, cache_dir: Path) -> None:
    config = LlamaConfig(
        vocab_size=128,
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=1,
        num_attention_heads=2,
        num_key_value_heads=1,
        max_position_embeddings=64,
    )
    LlamaForCausalLM(config).save_pretrained(tmp_path / "half-a-model")
    engine = create_local_engine(cache_dir=cache_dir, precision="exact").start()
    try:
        with pytest.raises(ModelLoadError, match=r"half-a-model has a model but no tokenizer"):
            engine.load(ModelSpec.parse(str(tmp_path / "half-a-model"))).result(timeout=60)
    finally:
        engine.close()


def test_a_shortcut_already_taken_is_refused_in_the_new_operation_dialog(window) -> None:
    from ui.dialogs.prompt_editor import NewOperationDialog

    dialog = NewOperationDialog({"Ctrl+S"}, window)
    dialog.name.setText("poem")
    dialog.label.setText("Make it a poem")
    dialog.shortcut.setKeySequence(QKeySequence("Ctrl+S"))
    dialog._check()
    assert "Ctrl+S is already used by another action." in dialog.error.text()
    assert dialog.result() == 0  # not accepted
