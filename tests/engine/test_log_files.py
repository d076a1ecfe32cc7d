"""The log file: rotating, and free of document text, paths and keys."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from engine import log_files

SENTINEL = "sk-SENTINEL-4f9c2e7a"


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("INKWELL_TEST_KEY", SENTINEL)
    handler = log_files.install(
        tmp_path / "logs", lambda: log_files.secrets_from_environment(["INKWELL_TEST_KEY"])
    )
    assert handler is not None
    yield tmp_path / "logs" / log_files.LOG_FILE
    logging.getLogger().removeHandler(handler)
    handler.close()


def test_paths_are_cut_to_the_file_name_and_keys_never_written(installed: Path) -> None:
    log = logging.getLogger("engine.test")
    log.warning("could not read /home/writer/Novels/chapter-3.txt with key %s", SENTINEL)
    try:
        raise OSError(f"disk full writing /home/writer/.local/share/inkwell/recovery/x.txt ({SENTINEL})")
    except OSError:
        log.exception("autosave failed")
    text = installed.read_text(encoding="utf-8")
    assert "chapter-3.txt" in text and "/home/writer" not in text and "Novels" not in text
    assert SENTINEL not in text and "[secret]" in text
    assert "x.txt" in text and "Traceback" in text  # the traceback stays, redacted


def test_the_log_rotates_instead_of_growing(installed: Path) -> None:
    log = logging.getLogger("engine.test")
    for index in range(3000):
        log.info("line %d %s", index, "x" * 1000)
    files = sorted(installed.parent.iterdir())
    assert [path.name for path in files] == ["inkwell.log", "inkwell.log.1", "inkwell.log.2", "inkwell.log.3"]
    assert all(path.stat().st_size <= log_files.MAX_BYTES + 2000 for path in files)


def test_a_folder_that_cannot_be_made_means_no_file_log_not_a_crash(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    assert log_files.install(blocker / "logs", list) is None
