"""Summaries beyond the context: how a long text is split, and the map and reduce over a
scripted engine (the real model's run is benchmarks/long_documents.py's)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from engine.documents import long_summary
from engine.errors import GenerationError, InputError
from engine.jobs import Request, Result

LONG_TEXT = Path(__file__).resolve().parents[3] / "benchmarks" / "data" / "python-docs.md"


def test_parts_keep_every_character_in_order_within_the_limit() -> None:
    text = LONG_TEXT.read_text(encoding="utf-8")[:200_000]
    parts = long_summary.split_parts(text, 3000)
    assert all(len(part.text) <= 3000 for part in parts)
    joined = "".join("".join(part.text.split()) for part in parts)
    assert joined == "".join(text.split())  # nothing lost, nothing repeated, in order
    assert parts[0].text.startswith("# Whetting Your Appetite")
    chapters = [part.text.splitlines()[0] for part in parts if part.text.startswith("# ")]
    assert chapters[:3] == [
        "# Whetting Your Appetite",
        "# Using the Python Interpreter",
        "# An Informal Introduction to Python",
    ]
    assert not any("# " in part.title for part in parts)  # no code comment taken for a heading


def test_a_part_that_starts_inside_a_section_is_titled_with_its_headings() -> None:
    body = "\n\n".join(f"Paragraph {n} of the section, with some words in it." for n in range(40))
    text = f"# Book\n\n## Section one\n\n{body}\n\n## Section two\n\nShort."
    parts = long_summary.split_parts(text, 600)
    assert parts[0].title == "" and parts[0].text.startswith("# Book\n\n## Section one")
    assert all(part.title == "Book › Section one" for part in parts[1:-1])
    assert parts[-1].text.endswith("## Section two\n\nShort.")
    assert long_summary.titled(parts[1]).startswith("Book › Section one\n\nParagraph")


def test_a_paragraph_longer_than_a_part_is_split_on_its_sentences() -> None:
    sentence = "This sentence is about forty characters. "
    parts = long_summary.split_parts(sentence * 100, 500)
    assert len(parts) >= 8 and all(len(part.text) <= 500 for part in parts)
    assert all(part.text.rstrip().endswith(".") for part in parts)
    (whole,) = long_summary.split_parts("x" * 1200, 500)[:1]  # no sentence end: cut at the limit
    assert len(whole.text) == 500


class Stream:
    def __init__(self, engine: Summarizer, request: Request) -> None:
        self.engine, self.request, self.cancelled = engine, request, False
        self.result: Result | None = None

    def cancel(self) -> None:
        self.cancelled = True

    def _answer(self) -> str:
        """A summary: the first line (the headings, when there are) and a count."""
        first = self.request.text.splitlines()[0]
        return f"{first}: {len(self.request.text)} characters summarised."

    async def text(self) -> str:
        await asyncio.sleep(0)
        if self.engine.cancel_at == len(self.engine.asked):
            self.engine.job.cancel()
        if len(self.engine.asked) in self.engine.refuse:
            raise GenerationError("The model did not produce a usable answer for this text.")
        return self._answer()

    def __aiter__(self):
        return self._deltas()

    async def _deltas(self):
        for word in self._answer().split(" "):
            await asyncio.sleep(0)
            yield word + " "


class Summarizer:
    def __init__(self) -> None:
        self.asked: list[str] = []
        self.cancel_at: int | None = None
        self.refuse: set[int] = set()  # the requests (1-based) the model gives no usable answer to
        self.job: long_summary.LongSummary

    def stream(self, request: Request) -> Stream:
        self.asked.append(request.text)
        return Stream(self, request)


def summarize(engine: Summarizer, text: str, part_chars: int) -> list:
    engine.job = long_summary.LongSummary(
        engine, text, lambda text: Request("summarize", text), part_chars=part_chars
    )

    async def collect() -> list:
        return [event async for event in engine.job.run()]

    return asyncio.run(collect())


def test_parts_then_chapters_are_summarised_and_every_chapter_keeps_its_heading() -> None:
    engine = Summarizer()
    text = LONG_TEXT.read_text(encoding="utf-8")[:60_000]
    events = summarize(engine, text, 3000)
    job = engine.job
    parts = len(job.parts)
    chapters = list(dict.fromkeys(part.chapter for part in job.parts))
    assert chapters[:2] == ["Whetting Your Appetite", "Using the Python Interpreter"]
    progress = [event for event in events if isinstance(event, long_summary.Progress)]
    assert progress[0] == long_summary.Progress(0, 0, parts)
    assert progress[1].describe() == f"part 1 of {parts}"
    assert long_summary.Progress(1, len(chapters), len(chapters)) in progress
    assert engine.asked[:parts] == [long_summary.titled(part) for part in job.parts]
    several = sum(1 for name in chapters if sum(p.chapter == name for p in job.parts) > 1)
    assert job.requests == parts + several + 1  # each part, each chapter of several parts, the whole
    final = "".join(event for event in events if isinstance(event, str))
    overall, listed = final.split("\n\n", 1)
    assert overall.strip().endswith("characters summarised.")
    assert [line.split(": ", 1)[0] for line in listed.split("\n\n")] == chapters  # each under its heading
    assert all(name in engine.asked[-1] for name in chapters)  # the whole is read chapter by chapter


def test_a_text_that_fits_one_part_is_summarised_at_once() -> None:
    engine = Summarizer()
    events = summarize(engine, "One short paragraph to sum up.", 3000)
    assert engine.asked == ["One short paragraph to sum up."]
    assert not any(isinstance(event, long_summary.Progress) for event in events)


def test_cancelling_stops_inside_the_map() -> None:
    engine = Summarizer()
    engine.cancel_at = 3
    events = summarize(engine, LONG_TEXT.read_text(encoding="utf-8")[:60_000], 3000)
    assert len(engine.asked) == 3
    assert not any(isinstance(event, str) for event in events)


def test_an_empty_text_is_refused() -> None:
    with pytest.raises(InputError, match="nothing to summarize"):
        long_summary.LongSummary(Summarizer(), "\n\n  \n", lambda text: Request("summarize", text))


def test_a_part_the_model_cannot_summarise_is_left_out_not_the_whole_summary() -> None:
    engine = Summarizer()
    engine.refuse = {2}
    events = summarize(engine, LONG_TEXT.read_text(encoding="utf-8")[:60_000], 3000)
    assert engine.job.failed == 1
    final = "".join(event for event in events if isinstance(event, str))
    assert final.strip() and len(engine.asked) > len(engine.job.parts)
