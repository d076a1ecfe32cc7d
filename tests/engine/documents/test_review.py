"""The review pass's plain parts: which paragraphs are reviewed, where they are, how the
suggestions apply and read as a diff, and the pass itself over a scripted engine."""

from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path

import pytest

from engine.documents import review
from engine.errors import InputError
from engine.jobs import Request, Result

DOCUMENT = """# Chapter one

The comittee met on 14 March in Lisbon.
It agreed to fund two libraries.

```
code = "is left alone"
```

Maria Duarte presented the budget.

12 345 678

## Notes
Teh last paragraph has no line break at its end."""


def test_paragraphs_are_runs_of_lines_between_blank_lines_headings_and_code() -> None:
    found = review.paragraphs(DOCUMENT)
    assert [p.text for p in found] == [
        "The comittee met on 14 March in Lisbon.\nIt agreed to fund two libraries.",
        "Maria Duarte presented the budget.",
        "Teh last paragraph has no line break at its end.",
    ]
    assert [p.index for p in found] == [0, 1, 2]
    for paragraph in found:  # the offsets point at the paragraph in the text
        assert DOCUMENT[paragraph.start : paragraph.end] == paragraph.text


def test_text_typed_one_paragraph_per_line_is_split_per_line() -> None:
    sentence = "This is a paragraph typed in the editor, which keeps it on one line however long it grows,"
    long = f"{sentence} {sentence}"
    text = f"{long}\n{long}\nShort one.\n"
    found = review.paragraphs(text)
    assert [p.text for p in found] == [long, long, "Short one."]
    assert all(text[p.start : p.end] == p.text for p in found)


def test_windows_line_ends_and_trailing_spaces_stay_outside_the_paragraph() -> None:
    text = "First paragraph.  \r\n\r\nSecond paragraph.\r\n"
    found = review.paragraphs(text)
    assert [p.text for p in found] == ["First paragraph.", "Second paragraph."]
    assert all(text[p.start : p.end] == p.text for p in found)


def outcome(paragraph: review.Paragraph, suggestion: str) -> review.Outcome:
    status = review.Status.CHANGED if review.is_change(paragraph, suggestion) else review.Status.UNCHANGED
    return review.Outcome(paragraph, status, suggestion)


def test_suggestions_apply_in_place_and_read_as_a_diff_that_patch_applies(tmp_path: Path) -> None:
    first, second, third = review.paragraphs(DOCUMENT)
    outcomes = [
        outcome(first, "The committee met on 14 March in Lisbon.\nIt agreed to fund two libraries."),
        outcome(second, "Maria Duarte presented the budget.  "),  # only space: no change
        outcome(third, "The last paragraph has no line break at its end."),
    ]
    assert [o.status for o in outcomes] == ["changed", "unchanged", "changed"]
    after = review.apply(DOCUMENT, outcomes)
    assert after == DOCUMENT.replace("comittee", "committee").replace("Teh", "The")
    target = tmp_path / "chapter.md"
    target.write_text(DOCUMENT, encoding="utf-8")
    diff = review.unified_diff(DOCUMENT, outcomes, "chapter.md")
    assert diff.startswith("--- chapter.md\n+++ chapter.md\n")
    assert "-The comittee met" in diff and "+The committee met" in diff
    assert "\\ No newline at end of file" in diff
    subprocess.run(["patch", "-s", "-p0"], input=diff, text=True, cwd=tmp_path, check=True)
    assert target.read_text(encoding="utf-8") == after


class ScriptedStream:
    def __init__(self, engine: ScriptedEngine, request: Request) -> None:
        self.engine, self.request = engine, request
        self.result: Result | None = None
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True

    async def text(self) -> str:
        await asyncio.sleep(0)
        if self.request.text.startswith("Refuse"):
            raise InputError("This paragraph is longer than the model's context.")
        if self.engine.cancel_during == self.request.text:
            self.engine.review.cancel()
        answer = self.request.text.replace("Teh", "The")
        stop = "cancelled" if self.cancelled else "eos"
        self.result = Result(self.request.job_id, answer, answer, 5, 5, 1.0, 10.0, stop, "scripted", "cpu")
        return answer


class ScriptedEngine:
    """Answers each paragraph by fixing one typo, as a proofreader would."""

    def __init__(self) -> None:
        self.asked: list[str] = []
        self.cancel_during: str | None = None
        self.review: review.ReviewPass

    def stream(self, request: Request) -> ScriptedStream:
        self.asked.append(request.text)
        return ScriptedStream(self, request)


def run_pass(engine: ScriptedEngine, text: str, **options) -> list[review.Outcome]:
    items = review.paragraphs(text)
    engine.review = review.ReviewPass(engine, items, lambda p: Request("proofread", p.text), **options)

    async def collect() -> list[review.Outcome]:
        return [item async for item in engine.review.run()]

    return asyncio.run(collect())


TEXT = "Teh first.\n\nRefuse this one.\n\nAll good here.\n\nTeh last.\n"


def test_the_pass_asks_once_per_paragraph_and_reports_each() -> None:
    engine = ScriptedEngine()
    outcomes = run_pass(engine, TEXT)
    assert engine.asked == ["Teh first.", "Refuse this one.", "All good here.", "Teh last."]
    assert [o.status for o in outcomes] == ["changed", "failed", "unchanged", "changed"]
    assert outcomes[1].message == "This paragraph is longer than the model's context."
    assert outcomes[0].suggestion == "The first."
    assert engine.review.done == 4


def test_a_paragraph_edited_before_its_turn_is_skipped_and_marked_stale() -> None:
    engine = ScriptedEngine()
    outcomes = run_pass(engine, TEXT, still_current=lambda p: p.index != 2)
    assert "All good here." not in engine.asked
    assert [o.status for o in outcomes] == ["changed", "failed", "stale", "changed"]


def test_cancelling_stops_the_running_paragraph_and_keeps_what_was_done() -> None:
    engine = ScriptedEngine()
    engine.cancel_during = "All good here."
    outcomes = run_pass(engine, TEXT)
    assert [o.status for o in outcomes] == ["changed", "failed"]
    assert "Teh last." not in engine.asked


@pytest.mark.parametrize("text", ["", "\n\n   \n", "```\nonly code\n```\n", "# Only a heading\n"])
def test_a_text_with_nothing_to_review_has_no_paragraphs(text: str) -> None:
    assert review.paragraphs(text) == []
