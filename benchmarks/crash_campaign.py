"""Twenty crashes at random moments: the real app, killed with SIGKILL, then started again.

Each run starts `main.py` offscreen on a real 3 MB file, with the bundled model, and an
automation script that types a numbered word every 0.25 s at the end of the text, saves
every 9 s (so that autosaves, every 5 s, keep unsaved words), and now and then runs
Continue and accepts it. The script writes a journal (what it typed and when; when
each save, autosave and stream began and ended).
The campaign kills the process with SIGKILL at a random moment in one of four phases,
five runs each: during model load, while a suggestion streams, during a save, and
during an autosave write. Saves and autosaves of 3 MB take tens of milliseconds, so a
kill timed from their start marker lands inside them most of the time; each outcome
says where it landed.

After each kill it checks:
- the file on disk is exactly one of the versions that were saved (or the original),
  never a partial one;
- the next start offers recovery whenever an autosave had kept unsaved changes;
- no word typed more than one autosave interval before the kill is lost: it is in the
  recovery copy or, failing that, in the saved file.

Prints one JSON object per run and a summary. Run by `make fuzz`.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AUTOSAVE_SECONDS = 5  # the shortest the settings allow: the longest wait while typing
SLACK = 0.5  # timers fire late by a little when the event loop is busy streaming
PHASES = ("load", "streaming", "save", "autosave")

SESSION = r"""
import hashlib, json, os, time
from PySide6.QtCore import QTimer
from PySide6.QtGui import QTextCursor

journal = open(os.environ["INKWELL_CRASH_JOURNAL"], "a", encoding="utf-8")


def note(event, **data):
    journal.write(json.dumps({"event": event, "t": time.time(), **data}) + "\n")
    journal.flush()  # a SIGKILL loses Python's buffers, not the kernel's


state = {"count": 0, "ready": False, "streaming": False}
autosaver = window.document.autosaver
original_save_now = autosaver.save_now


def save_now():
    note("autosave-start")
    original_save_now()
    entry = autosaver._entry
    note("autosave-end", kept=bool(entry is not None and entry.saved_at is not None))


autosaver.save_now = save_now
autosaver._idle.timeout.disconnect()
autosaver._longest.timeout.disconnect()
autosaver._idle.timeout.connect(save_now)
autosaver._longest.timeout.connect(save_now)


def at_end():
    cursor = window.editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    window.editor.setTextCursor(cursor)
    return cursor


def type_word():
    if state["streaming"]:
        return
    state["count"] += 1
    word = f" w{state['count']:05d}"
    at_end().insertText(word)
    note("typed", word=word.strip())


def save():
    data = window.editor.text().encode("utf-8")
    note("save-start", sha=hashlib.sha256(data).hexdigest())
    window.save()
    note("save-end")


def phase(value):
    if value == "streaming":
        state["streaming"] = True
        note("stream-start")
    elif value in ("done", "stopped"):
        window.suggestions.accept()
        state["streaming"] = False
        note("accepted")
    elif value == "" and state["streaming"]:
        state["streaming"] = False
        note("stream-end")


window.suggestions.sig_phase_changed.connect(phase)


def continue_writing():
    if state["streaming"] or not window.menu_actions.assistant.isEnabled():
        return
    at_end()
    window.run("continue")


def wait_for_model():
    if window.menu_actions.assistant.isEnabled():
        note("ready")
        for interval, action in ((250, type_word), (9100, save), (3700, continue_writing)):
            timer = QTimer(window)
            timer.timeout.connect(action)
            timer.start(interval)
        return
    QTimer.singleShot(50, wait_for_model)


note("start")
QTimer.singleShot(0, wait_for_model)
"""

CHECK = r"""
import json, os
dialog = window.recovery_dialog
texts = []
if dialog is not None:
    from PySide6.QtCore import Qt
    texts = [dialog.list.item(i).data(Qt.ItemDataRole.UserRole).text for i in range(dialog.list.count())]
with open(os.environ["INKWELL_CRASH_OUT"], "w", encoding="utf-8") as handle:
    json.dump({"offered": dialog is not None, "texts": texts}, handle)
window.editor.document().setModified(False)
app.quit()
"""


def the_file(folder: Path) -> Path:
    """A 3 MB document, so that saving it takes long enough to be killed in the middle."""
    paragraph = (
        "The lighthouse keeper wrote every evening, whatever the weather, in the same blue "
        "notebook; on stormy nights the lamp shook and the pen skipped across the lines. "
    )
    text = "".join(f"{index}. {paragraph}\n\n" for index in range(12_000))
    path = folder / "chapter.txt"
    path.write_text(text, encoding="utf-8")
    return path


def read_journal(path: Path) -> list[dict]:
    events = []
    for line in path.read_text(encoding="utf-8").splitlines():
        with contextlib.suppress(json.JSONDecodeError):  # the last line may be cut by the kill
            events.append(json.loads(line))
    return events


def wait_for(journal: Path, event: str, since: int, timeout: float) -> dict | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        events = read_journal(journal) if journal.exists() else []
        for entry in events[since:]:
            if entry["event"] == event:
                return entry
        time.sleep(0.002)
    return None


def start(document: Path, script: str, folder: Path, env: dict[str, str]) -> subprocess.Popen:
    code = folder / f"script-{time.monotonic_ns()}.py"
    code.write_text(script, encoding="utf-8")
    return subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), str(document)],
        cwd=ROOT,
        env={**os.environ, **env, "INKWELL_AUTOMATION": str(code), "QT_QPA_PLATFORM": "offscreen"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def one_run(phase: str, rng: random.Random, folder: Path) -> dict:
    document = the_file(folder)
    original = hashlib.sha256(document.read_bytes()).hexdigest()
    config = folder / "config"
    config.mkdir()
    (config / "settings.toml").write_text(
        f"[editor]\nautosave_seconds = {AUTOSAVE_SECONDS}\nspell_check = false\n", encoding="utf-8"
    )
    journal = folder / "journal.jsonl"
    env = {
        "INKWELL_DATA_DIR": str(folder / "data"),
        "INKWELL_CONFIG_DIR": str(config),
        "INKWELL_CRASH_JOURNAL": str(journal),
    }
    process = start(document, SESSION, folder, env)
    started = time.time()
    if phase == "load":
        time.sleep(rng.uniform(0.3, 2.5))
    else:
        wait_for(journal, "ready", 0, 120)
        time.sleep(rng.uniform(2.0, 12.0))  # type for a while first
        marker = {"streaming": "stream-start", "save": "save-start", "autosave": "autosave-start"}[phase]
        seen = len(read_journal(journal))
        wait_for(journal, marker, seen, 30)
        time.sleep(rng.uniform(0.0, 0.004 if phase in ("save", "autosave") else 0.3))
    killed_at = time.time()
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)

    events = read_journal(journal) if journal.exists() else []
    versions = {original} | {entry["sha"] for entry in events if entry["event"] == "save-start"}
    on_disk = document.read_bytes()
    complete = hashlib.sha256(on_disk).hexdigest() in versions

    # where the kill landed
    last = {}
    for entry in events:
        last[entry["event"]] = entry["t"]
    landed = {
        "load": "ready" not in last,
        "streaming": last.get("stream-start", 0) > max(last.get("accepted", 0), last.get("stream-end", 0)),
        "save": last.get("save-start", 0) > last.get("save-end", 0),
        "autosave": last.get("autosave-start", 0) > last.get("autosave-end", 0),
    }[phase]

    # the next start
    out = folder / "check.json"
    env["INKWELL_CRASH_OUT"] = str(out)
    second = start(document, CHECK, folder, env)
    second.wait(timeout=120)
    check = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {"offered": None, "texts": []}

    saved_at = max((entry["t"] for entry in events if entry["event"] == "save-end"), default=0.0)
    # Recovery is owed when an autosave after the last save kept a copy (an autosave with
    # nothing unsaved, such as the one after the file is opened, keeps none).
    must_offer = any(
        entry["event"] == "autosave-end" and entry.get("kept") and entry["t"] > saved_at for entry in events
    )
    recovered = check["texts"][0] if check["texts"] else None
    text = recovered if recovered is not None else on_disk.decode("utf-8", errors="replace")
    deadline = killed_at - AUTOSAVE_SECONDS - SLACK
    owed = [entry["word"] for entry in events if entry["event"] == "typed" and entry["t"] <= deadline]
    lost = [word for word in owed if f" {word}" not in text]
    leftovers = [path.name for path in document.parent.glob(".*.inkwell-tmp")]
    return {
        "phase": phase,
        "landed_in_phase": landed,
        "killed_after_s": round(killed_at - started, 2),
        "words_typed": sum(entry["event"] == "typed" for entry in events),
        "saves_completed": sum(entry["event"] == "save-end" for entry in events),
        "autosaves_completed": sum(entry["event"] == "autosave-end" for entry in events),
        "file_complete": complete,
        "recovery_offered": check["offered"],
        "recovery_expected": must_offer,
        "words_owed": len(owed),
        "words_lost": len(lost),
        "temporary_files_left": len(leftovers),
        "survived": complete and (check["offered"] or not must_offer) and not lost,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--editing-report", type=Path, help="the fuzzer's totals, to print with ours")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(2**31)
    rng = random.Random(seed)
    outcomes = []
    for index in range(args.runs):
        phase = PHASES[index % len(PHASES)]
        with tempfile.TemporaryDirectory(prefix="inkwell-crash-") as folder:
            outcome = one_run(phase, rng, Path(folder))
        outcomes.append(outcome)
        print(json.dumps({"run": index + 1, **outcome}), flush=True)
    summary = {
        "seed": seed,
        "crashes": len(outcomes),
        "survived": sum(outcome["survived"] for outcome in outcomes),
        "landed_in_phase": sum(outcome["landed_in_phase"] for outcome in outcomes),
        "words_lost_beyond_autosave_interval": sum(outcome["words_lost"] for outcome in outcomes),
        "partial_files": sum(not outcome["file_complete"] for outcome in outcomes),
        "recovery_missed": sum(
            outcome["recovery_expected"] and not outcome["recovery_offered"] for outcome in outcomes
        ),
    }
    print(json.dumps({"summary": summary}), flush=True)
    ok = summary["survived"] == summary["crashes"]
    if args.editing_report is not None:
        editing = json.loads(args.editing_report.read_text(encoding="utf-8"))
        print(
            f"sequences run: {editing['sequences']}, steps: {editing['steps']}, "
            f"invariant violations: {editing['violations']}\n"
            f"crashes survived: {summary['survived']}/{summary['crashes']}, "
            f"words lost beyond the autosave interval: {summary['words_lost_beyond_autosave_interval']}"
        )
        ok = ok and editing["violations"] == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
