"""Whole documents on the bundled model: summaries far beyond the context, and a review pass.

    .venv/bin/python benchmarks/long_documents.py [--lengths 10000,40000,160000] [--review-words 5000]

The text is `benchmarks/data/python-docs.md` (the Python tutorial, HOWTOs and FAQ, from
Debian's python3.11-doc; see python-docs.LICENSE.md), cut at a paragraph near each length
in tokens. Summaries run the map and reduce of engine/documents/long_summary.py through the real
engine thread; the cost should grow linearly, so seconds per 1,000 input tokens are
compared across the lengths (goal: within ±25% of their mean). Which chapter headings and
which of the text's most frequent names (engine/fidelity/facts.py) the final summary keeps is
reported too. The review pass proofreads the first `--review-words` words in the window
(offscreen) through the real engine while a 10 ms timer measures the event loop's worst
stall, and the same is measured for the first seconds of a review of a 50,000-word
document (goal for both: no stall above 30 ms). Prints JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
TEXT = ROOT / "benchmarks" / "data" / "python-docs.md"


def cut(text: str, tokenizer, tokens: int) -> str:
    """The text's start up to the paragraph where it reaches `tokens` tokens."""
    paragraphs = text.split("\n\n")
    low, high = 1, len(paragraphs)
    while low < high:  # the fewest paragraphs that reach the count
        middle = (low + high) // 2
        if len(tokenizer("\n\n".join(paragraphs[:middle])).input_ids) >= tokens:
            high = middle
        else:
            low = middle + 1
    return "\n\n".join(paragraphs[:low])


def words_prefix(text: str, words: int) -> str:
    kept, count = [], 0
    for paragraph in text.split("\n\n"):
        kept.append(paragraph)
        count += len(paragraph.split())
        if count >= words:
            break
    return "\n\n".join(kept)


def chapter_headings(text: str) -> list[str]:
    headings, fenced = [], False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and line.startswith("# "):
            headings.append(line[2:].strip())
    return headings


def frequent_names(text: str, count: int = 20) -> list[str]:
    from engine.fidelity.facts import extract

    tally: collections.Counter[str] = collections.Counter()
    for paragraph in text.split("\n\n"):
        for fact in extract(paragraph):
            if fact.kind == "name":
                tally[fact.text] += 1
    return [name for name, _ in tally.most_common(count)]


async def summarize(engine, text: str) -> dict:
    from engine.documents.long_summary import LongSummary, Progress
    from engine.jobs import Request

    job = LongSummary(engine, text, lambda part: Request("summarize", part))
    started = time.perf_counter()
    final = []
    async for event in job.run():
        if not isinstance(event, Progress):
            final.append(event)
    seconds = time.perf_counter() - started
    summary = "".join(final).strip()
    lowered = summary.lower()
    headings = chapter_headings(text)
    names = frequent_names(text)
    return {
        "parts": len(job.parts),
        "requests": job.requests,
        "failed": job.failed,
        "seconds": round(seconds, 1),
        "summary_words": len(summary.split()),
        "chapter_headings_kept": f"{sum(h.lower() in lowered for h in headings)} of {len(headings)}",
        "frequent_names_kept": f"{sum(n.lower() in lowered for n in names)} of {len(names)}",
        "summary_start": summary[:300],
    }


async def review_in_window(window, text: str, duration: float | None) -> dict:
    """Proofread `text` paragraph by paragraph; the loop's stalls meanwhile. With a
    `duration`, the review is stopped after that many seconds."""
    from benchmarks.latency_probe import LatencyProbe, summary

    window.editor.setPlainText(text)
    finished = asyncio.get_running_loop().create_future()
    window.review.sig_finished.connect(lambda line: finished.done() or finished.set_result(line))
    probe = LatencyProbe(window.editor, window.editor.viewport())
    probe.start()
    await asyncio.sleep(0.5)  # the probe's timer runs before the review starts: its start counts
    started = time.perf_counter()
    assert window.start_review("proofread")
    while not finished.done():
        await asyncio.sleep(0.1)
        if duration is not None and time.perf_counter() - started > duration:
            window.review.cancel()
            await finished
    probe.stop()
    seconds = time.perf_counter() - started
    paragraphs = window.review._pass.done if window.review._pass else 0
    report = {
        "words": len(text.split()),
        "paragraphs_in_document": len(window.review._items),
        "paragraphs_done": paragraphs,
        "seconds": round(seconds, 1),
        "paragraphs_per_minute": round(paragraphs / seconds * 60, 1),
        "suggestions": len(window.review.ready()),
        "status": finished.result(),
        "timer_lateness": summary(probe.lateness),
    }
    window.review.reject_all()
    return report


async def main_async(args, window, engine) -> dict:
    from engine.models.spec import ModelSpec

    loaded = asyncio.get_running_loop().create_future()
    window.model.sig_ready.connect(lambda info: loaded.done() or loaded.set_result(info))
    window.start_loading(ModelSpec.bundled())
    info = await loaded
    tokenizer = engine._backend.loaded.tokenizer
    text = TEXT.read_text(encoding="utf-8")
    report: dict = {"model": info.name, "precision": info.precision, "summaries": {}}
    for target in (int(n) for n in args.lengths.split(",") if n.strip()):
        piece = cut(text, tokenizer, target)
        tokens = len(tokenizer(piece).input_ids)
        result = await summarize(engine, piece)
        result["input_tokens"] = tokens
        result["seconds_per_1000_tokens"] = round(result["seconds"] / tokens * 1000, 3)
        report["summaries"][str(target)] = result
        print(json.dumps({str(target): result}), file=sys.stderr, flush=True)
    rates = [entry["seconds_per_1000_tokens"] for entry in report["summaries"].values()]
    if rates:
        mean = sum(rates) / len(rates)
        report["seconds_per_1000_tokens_spread"] = round(max(abs(rate / mean - 1) for rate in rates), 3)
        report["linear_within_25_percent"] = report["seconds_per_1000_tokens_spread"] <= 0.25
    report["review"] = await review_in_window(window, words_prefix(text, args.review_words), None)
    print(json.dumps({"review": report["review"]}), file=sys.stderr, flush=True)
    report["review_50000_words_first_seconds"] = await review_in_window(
        window, words_prefix(text, 50_000), args.long_review_seconds
    )
    worst = max(
        report["review"]["timer_lateness"]["max_ms"],
        report["review_50000_words_first_seconds"]["timer_lateness"]["max_ms"],
    )
    report["worst_stall_ms"] = worst
    report["goal_no_stall_above_ms"] = 30
    report["goal_met"] = worst <= 30
    return report


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lengths", default="10000,40000,160000", help='"" to measure the review alone')
    parser.add_argument("--review-words", type=int, default=5000)
    parser.add_argument("--long-review-seconds", type=float, default=45.0)
    args = parser.parse_args()
    import main as inkwell_main

    inkwell_main.configure_environment()
    import qasync
    import torch
    from PySide6.QtWidgets import QApplication

    from engine.app_paths import AppPaths
    from engine.factory import create_local_engine
    from engine.fastpath.cpu_plan import cpu_model
    from engine.fastpath.threads import engine_threads
    from engine.prompting.templates import Catalog
    from ui.main_window import MainWindow

    app = QApplication([])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    engine = create_local_engine().start()
    scratch = tempfile.TemporaryDirectory(prefix="inkwell-long-bench-")
    catalog = Catalog.default()
    window = MainWindow(engine, catalog, AppPaths(Path(scratch.name) / "data", Path(scratch.name) / "config"))
    window.resize(1000, 700)
    window.show()
    try:
        with loop:
            report = loop.run_until_complete(main_async(args, window, engine))
    finally:
        window.editor.document().setModified(False)
        engine.close()
    report["machine"] = {
        "cpu": cpu_model(),
        "capability": torch.backends.cpu.get_cpu_capability(),
        "engine_threads": engine_threads(),
        "python": platform.python_version(),
        "date": time.strftime("%Y-%m-%d"),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
