"""Ask your draft: are answers right, cited to the right paragraph, and honest when the
document holds no answer? Measured on the bundled model through the engine thread.

    .venv/bin/python benchmarks/ask.py [--split heldout|dev|both]

On benchmarks/data/ask.toml (5 documents written for it, 30 questions, each answer's
figure or name and paragraph located by hand), per split:
  found       answerable questions whose answer holds the labelled figure or name
  cited       answerable questions whose answer cites the labelled paragraph
  not_found   unanswerable questions answered "I found nothing about that…"
  invented    answers that write a number or name the document does not (this
              benchmark's own check, not the engine's verdict)
and the first piece of an answer on a 5,000-word document (the five documents and
paragraphs of benchmarks/data/python-docs.md), timed from the request to the first
piece, median of 5. Prints JSON; record the CPU with the numbers.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import statistics
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.meaning import cpu  # noqa: E402

DATA = ROOT / "benchmarks" / "data" / "ask.toml"
DOCS = ROOT / "benchmarks" / "data" / "python-docs.md"
NOT_FOUND = "I found nothing about that in this document."
LONG_WORDS = 5000
COUNTS = ("answerable", "found", "cited", "unanswerable", "not_found", "invented")


def invented(document: str, answer: str) -> list[str]:
    """Numbers and capitalised words inside a sentence that the document never writes."""
    out = [n for n in re.findall(r"\d[\d,.:]*\d|\d", answer) if n not in document]
    for match in re.finditer(r"(?<=[a-z,;] )[A-Z][a-z]+", answer):
        if match.group() not in document:
            out.append(match.group())
    return out


def long_document(documents: list[str]) -> str:
    """About 5,000 words: the five documents, then Python's docs paragraphs."""
    parts = list(documents)
    for block in DOCS.read_text(encoding="utf-8").split("\n\n"):
        if sum(len(p.split()) for p in parts) >= LONG_WORDS:
            break
        if block.strip() and not block.lstrip().startswith(("```", "    ", "|")):
            parts.append(block.strip())
    return "\n\n".join(parts)


async def _ask(engine: object, document: str, question: str) -> tuple[object, float]:
    from engine.jobs import Request

    started = time.perf_counter()
    first = 0.0
    stream = engine.stream(Request("ask", document, instruction=question))  # type: ignore[attr-defined]
    async for _piece in stream:
        first = first or time.perf_counter() - started
    return stream.result, first


async def run(split: str) -> dict[str, object]:
    from engine.asking.answers import cited
    from engine.factory import create_local_engine
    from engine.models.spec import ModelSpec

    data = tomllib.loads(DATA.read_text(encoding="utf-8"))
    splits = ("dev", "heldout") if split == "both" else (split,)
    engine = create_local_engine(compile_step="use").start()
    await asyncio.wrap_future(engine.load(ModelSpec.bundled()))
    report: dict[str, object] = {"machine": cpu()}
    try:
        for name in splits:
            counts = dict.fromkeys(COUNTS, 0)
            misses: list[dict[str, object]] = []
            for document in data["document"]:
                text = document["text"]
                for question in [q for q in document["question"] if q["split"] == name]:
                    result, _first = await _ask(engine, text, question["question"])
                    answer = result.text  # type: ignore[attr-defined]
                    spans = [span for s in result.sources for span in s.sources]  # type: ignore[attr-defined]
                    paragraphs = {c["paragraph"] for c in cited(text, spans)}
                    counts["invented"] += bool(invented(text, answer))
                    if "paragraph" in question:
                        counts["answerable"] += 1
                        found = question["answer"] in answer
                        right = question["paragraph"] in paragraphs
                        counts["found"] += found
                        counts["cited"] += right
                        if not (found and right):
                            misses.append({"question": question["question"], "answer": answer})
                    else:
                        counts["unanswerable"] += 1
                        said = answer == NOT_FOUND
                        counts["not_found"] += said
                        if not said:
                            misses.append({"question": question["question"], "answer": answer})
            report[name] = {
                "questions": counts["answerable"] + counts["unanswerable"],
                "found": round(counts["found"] / max(1, counts["answerable"]), 3),
                "cited": round(counts["cited"] / max(1, counts["answerable"]), 3),
                "not_found": round(counts["not_found"] / max(1, counts["unanswerable"]), 3),
                "invented": counts["invented"],
                "misses": misses,
            }
        long = long_document([d["text"] for d in data["document"]])
        firsts = []
        for _ in range(5):
            _result, first = await _ask(engine, long, "How much does the trip cost per pupil?")
            firsts.append(first)
        report["long"] = {
            "words": len(long.split()),
            "first_piece_s": round(statistics.median(firsts), 4),
            "answer": _result.text,  # type: ignore[attr-defined]
        }
    finally:
        engine.close()
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", default="heldout", choices=["dev", "heldout", "both"])
    args = parser.parse_args()
    print(json.dumps(asyncio.run(run(args.split)), indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
