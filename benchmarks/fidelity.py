"""Can a writer trust the suggestions? Proofreading, rewrites and continuations, measured.

    .venv/bin/python benchmarks/fidelity.py [--rows before,spellchecker,inkwell,server] [--quick]

On the paragraphs of benchmarks/data/fidelity.toml (written for this benchmark; half of
each kind held out from development), every row answers the same requests:
  before        main as it was before the fidelity work (a git worktree of BASE_COMMIT)
  spellchecker  a plain dictionary spell checker, no model: each unknown word replaced by
                its top correction (pyspellchecker); the floor to beat; proofread only
  inkwell       this checkout, on the bundled model
  server        this checkout through a llama.cpp server on the same GGUF (`--server`)
Measured, per split (dev / heldout):
  proofread  recall (seeded errors put right) and keep (correct words left alone), after a
             word alignment of the answer with the clean text; by kind of error
  rewrite    fact retention in every style: the numbers, dates, names and places listed by
             hand for each paragraph, found in the answer
  non-answers  empty answers, preambles, refusals, talk about the task, cut-short answers
  unchanged  rewrites that gave the text back as written ("already reads formal")
  continue   sentences repeated within the continuation
Model rows run in processes of their own (benchmarks/fidelity_run.py). Prints JSON, then a
Markdown table.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from benchmarks.fidelity_metrics import (  # noqa: E402
    Seeded,
    facts_kept,
    non_answer,
    repeated_sentences,
    score_proofread,
    seed_errors,
)
from engine.jobs import is_unchanged  # noqa: E402

BASE_COMMIT = "5ec0029"  # main before P7: free-generation proofread and rewrites
DATA = ROOT / "benchmarks" / "data" / "fidelity.toml"
STYLES = ("clearer", "shorter", "formal", "casual", "expand")
ERRORS_PER_PARAGRAPH = 3
SEED = 20261129
SPLITS = ("dev", "heldout")


def cpu_model() -> str:
    from engine.fastpath.cpu_plan import cpu_model as engine_cpu_model  # one reading of /proc/cpuinfo

    return engine_cpu_model()


def load_texts() -> list[dict]:
    with DATA.open("rb") as handle:
        return tomllib.load(handle)["text"]


def dictionary_words() -> set[str]:
    from spellchecker import SpellChecker

    return set(SpellChecker(language="en").word_frequency.dictionary.keys())


def build_jobs(texts: list[dict], quick: bool) -> tuple[list[dict], list[Seeded]]:
    known = dictionary_words()
    jobs: list[dict] = []
    seeded_all: list[Seeded] = []
    chosen = [t for i, t in enumerate(texts) if not quick or i % 3 == 0]
    for index, text in enumerate(chosen):
        seeded = seed_errors(
            text["text"], ERRORS_PER_PARAGRAPH, random.Random(SEED + index), known, set(text["facts"])
        )
        seeded_all.append(seeded)
        base = {"split": text["split"], "kind": text["kind"], "paragraph": index}
        jobs.append({**base, "operation": "proofread", "text": seeded.noisy, "seeded": len(seeded_all) - 1})
        if text["facts"]:
            for style in STYLES:
                jobs.append({**base, "operation": "rewrite", "style": style, "text": text["text"]})
        if text["kind"] in ("prose", "informal", "dialogue"):
            jobs.append({**base, "operation": "continue", "text": text["text"]})
    for job in jobs:
        job["facts"] = chosen[job["paragraph"]]["facts"]
    return jobs, seeded_all


def spellchecker_answers(jobs: list[dict]) -> list[dict]:
    """The floor: every unknown word replaced by the dictionary's top correction."""
    import re

    from spellchecker import SpellChecker

    checker = SpellChecker(language="en")
    word = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")
    answers = []
    for job in jobs:
        if job["operation"] != "proofread":
            answers.append({"skipped": True})
            continue
        started = time.perf_counter()

        def fix(match: re.Match[str]) -> str:
            found = match.group()
            if found.lower() in checker or found[:1].isupper():
                return found
            correction = checker.correction(found.lower())
            return correction if correction else found

        answers.append({"answer": word.sub(fix, job["text"]), "seconds": time.perf_counter() - started})
    return answers


def model_answers(repo: Path, jobs: list[dict], server: str = "", copy_speed: bool = False) -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="inkwell-fidelity-") as folder:
        jobs_file, out_file = Path(folder) / "jobs.json", Path(folder) / "out.json"
        jobs_file.write_text(json.dumps(jobs), encoding="utf-8")
        command = [sys.executable, str(ROOT / "benchmarks" / "fidelity_run.py"), "--repo", str(repo)]
        command += ["--jobs", str(jobs_file), "--out", str(out_file)]
        if server:
            command += ["--server", server]
        if copy_speed:
            command += ["--copy-speed"]
        subprocess.run(command, check=True, cwd=repo)
        return json.loads(out_file.read_text(encoding="utf-8"))


def before_worktree(folder: Path) -> Path:
    path = folder / "before"
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(path), BASE_COMMIT],
        check=True,
        capture_output=True,
    )
    return path


def summarise(jobs: list[dict], seeded: list[Seeded], answers: list[dict]) -> dict:
    report: dict = {}
    for split in (*SPLITS, "all"):
        fixed = errors = damaged = correct = 0
        by_kind: dict[str, list[int]] = {}
        facts: dict[str, list[int]] = {style: [0, 0] for style in STYLES}
        non_answers: list[str] = []
        unchanged: list[str] = []
        answered = repeats = continuations = 0
        seconds: dict[str, list[float]] = {}
        for job, answer in zip(jobs, answers, strict=True):
            if answer.get("skipped") or (split != "all" and job["split"] != split):
                continue
            text = answer.get("answer", "")
            seconds.setdefault(job["operation"], []).append(answer.get("seconds", 0.0))
            if job["operation"] == "proofread":
                score = score_proofread(seeded[job["seeded"]], text)
                fixed, errors = fixed + score.fixed, errors + score.errors
                damaged, correct = damaged + score.damaged, correct + score.correct
                for kind, (got, total) in score.by_kind.items():
                    slot = by_kind.setdefault(kind, [0, 0])
                    slot[0], slot[1] = slot[0] + got, slot[1] + total
            elif job["operation"] == "rewrite":
                if is_unchanged(job["text"], text):
                    unchanged.append(f"{job['style']} #{job['paragraph']}")  # "already reads formal"
                kept = facts_kept(job["facts"], text)
                slot = facts[job["style"]]
                slot[0], slot[1] = slot[0] + len(kept), slot[1] + len(job["facts"])
            if job["operation"] == "continue":
                continuations += 1
                repeats += repeated_sentences(job["text"] + " " + text) - repeated_sentences(job["text"])
                if not text.strip():
                    non_answers.append("continue: empty")
            else:
                answered += 1
                source = seeded[job["seeded"]].noisy if job["operation"] == "proofread" else job["text"]
                why = non_answer(source, text, shorter=job.get("style") == "shorter")
                if why:
                    label = f"{job['operation']}{'/' + job['style'] if job.get('style') else ''}"
                    non_answers.append(f"{label} #{job['paragraph']}: {why}: {text[:60]!r}")
        if not errors and not answered and not continuations:
            continue
        report[split] = {
            "proofread_recall": round(fixed / errors, 3) if errors else None,
            "proofread_keep": round(1 - damaged / correct, 4) if correct else None,
            "proofread_by_kind": {k: f"{v[0]}/{v[1]}" for k, v in sorted(by_kind.items())},
            "fact_retention": {s: round(v[0] / v[1], 3) if v[1] else None for s, v in facts.items()},
            "non_answers": len(non_answers),
            # Rewrites that gave the text back as written (it already read as asked): they
            # keep every fact trivially, so they are counted apart.
            "rewrites_unchanged": len(unchanged),
            "unchanged_examples": unchanged[:6],
            "answers": answered + continuations,
            "non_answer_examples": non_answers[:6],
            "continue_repeated_sentences": repeats if continuations else None,
            "mean_seconds": {k: round(sum(v) / len(v), 2) for k, v in seconds.items()},
        }
    return report


def table(report: dict) -> str:
    head = "| row | split | proofread recall | keep | " + " | ".join(f"facts {s}" for s in STYLES)
    head += " | non-answers | repeated sentences |"
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for row, splits in report["rows"].items():
        for split in SPLITS:
            data = splits.get(split)
            if not data:
                continue
            cells = [row, split, str(data["proofread_recall"]), str(data["proofread_keep"])]
            cells += [
                str(data["fact_retention"][s]) if data["fact_retention"][s] is not None else "–"
                for s in STYLES
            ]
            cells += [
                f"{data['non_answers']}/{data['answers']}",
                str(data["continue_repeated_sentences"] or 0),
            ]
            lines.append("| " + " | ".join(c if c != "None" else "–" for c in cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", default="before,spellchecker,inkwell,server")
    parser.add_argument("--quick", action="store_true", help="a third of the paragraphs")
    args = parser.parse_args()
    rows = [r.strip() for r in args.rows.split(",") if r.strip()]
    import platform

    jobs, seeded = build_jobs(load_texts(), args.quick)
    report: dict = {
        "python": platform.python_version(),
        "cpu": cpu_model(),
        "threads": 2,
        "paragraphs": len(seeded),
        "requests": len(jobs),
        "seeded_errors": sum(len(s.errors) for s in seeded),
        "rows": {},
    }
    with tempfile.TemporaryDirectory(prefix="inkwell-fidelity-") as folder:
        for row in rows:
            started = time.perf_counter()
            if row == "spellchecker":
                answers = spellchecker_answers(jobs)
            elif row == "inkwell":
                answers = model_answers(ROOT, jobs, copy_speed=True)
                report["copy_drafts"] = answers.pop()["copy_speed"]
            elif row == "before":
                worktree = before_worktree(Path(folder))
                try:
                    answers = model_answers(worktree, jobs)
                finally:
                    subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(worktree)])
            elif row == "server":
                from engine.models.spec import bundled_model_path
                from tests.serve_llama_cpp import start_llama_server, stop_server

                process, url = start_llama_server(bundled_model_path(), 2, timeout=240)
                try:
                    answers = model_answers(ROOT, jobs, server=url)
                finally:
                    stop_server(process)
            else:
                raise SystemExit(f"unknown row {row!r}")
            report["rows"][row] = summarise(jobs, seeded, answers)
            report["rows"][row]["wall_s"] = round(time.perf_counter() - started, 1)
            print(f"{row}: done in {report['rows'][row]['wall_s']} s", file=sys.stderr, flush=True)
    print(json.dumps(report, indent=2))
    print()
    print(table(report))


if __name__ == "__main__":
    main()
