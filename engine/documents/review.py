"""A review pass: one operation over every paragraph of a long text, one job at a time.

Writers revise chapters, not sentences. The text is split into paragraphs, each paragraph
goes to the engine as its own request, and each answer that differs from its paragraph
becomes one suggestion. Plain data in and out: the window tracks where each paragraph has
moved to and tells the pass which ones the writer edited meanwhile (`still_current`), so
those are skipped, never overwritten; the CLI writes the suggestions as a unified diff or
as JSON lines.

Consecutive prompts share their instructions and differ only from the paragraph on, so
the fast path's cached prefix (`FastLlama.reusable_prefix`) reads the instructions once
and every later paragraph pays for its own text only.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from engine.errors import InkwellError
from engine.jobs import Request, Result

UNWRAPPED_LINE = 120  # a run of lines with a line this long is one paragraph per line
_FENCE = re.compile(r"^\s*(```|~~~)")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s")


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of the reviewed text: its place (character offsets) and its text."""

    index: int
    start: int
    end: int
    text: str


class Status(StrEnum):
    CHANGED = "changed"  # a suggestion that differs from the paragraph
    UNCHANGED = "unchanged"  # the answer kept the paragraph as it was
    STALE = "stale"  # the writer edited the paragraph before its turn: skipped
    FAILED = "failed"  # the engine refused or failed (the message says why)


@dataclass(frozen=True)
class Outcome:
    """What the pass made of one paragraph."""

    paragraph: Paragraph
    status: Status
    suggestion: str = ""
    message: str = ""
    result: Result | None = None


def paragraphs(text: str) -> list[Paragraph]:
    """The paragraphs worth reviewing, in order.

    Blank lines separate paragraphs. Inside a run of lines a line break separates them too
    when the run is not hard-wrapped (a line longer than `UNWRAPPED_LINE`, as in text typed
    in the editor, where each paragraph is one line). Markdown headings, fenced code and
    paragraphs without a letter are left alone: there is nothing to proofread or rewrite.
    """
    found: list[Paragraph] = []
    run: list[tuple[int, str]] = []  # (offset, line without its line break)
    fenced = False

    def close_run() -> None:
        if not run:
            return
        if len(run) > 1 and any(len(line) > UNWRAPPED_LINE for _, line in run):
            pieces = [[item] for item in run]
        else:
            pieces = [run[:]]
        for piece in pieces:
            start = piece[0][0]
            end = piece[-1][0] + len(piece[-1][1].rstrip())
            body = text[start:end]
            if any(character.isalpha() for character in body):
                found.append(Paragraph(len(found), start, end, body))
        run.clear()

    offset = 0
    for raw in text.splitlines(keepends=True):
        line = raw.rstrip("\r\n")
        if _FENCE.match(line):
            close_run()
            fenced = not fenced
        elif fenced or not line.strip() or _HEADING.match(line):
            close_run()
        else:
            run.append((offset, line))
        offset += len(raw)
    close_run()
    return found


def is_change(paragraph: Paragraph, suggestion: str) -> bool:
    """Whether an answer changes its paragraph (space at its ends does not count)."""
    return bool(suggestion.strip()) and suggestion.strip() != paragraph.text.strip()


class ReviewPass:
    """Runs one request per paragraph through the engine, one after another.

    `make_request` turns a paragraph into its request; `still_current` (the window's check
    that the writer has not edited the paragraph) is asked just before each paragraph's
    turn. `cancel()` works at any time: the running job stops inside its decoding loop and
    no further paragraph starts; what was done so far has already been handed out."""

    def __init__(
        self,
        engine: Any,
        items: Sequence[Paragraph],
        make_request: Callable[[Paragraph], Request],
        still_current: Callable[[Paragraph], bool] | None = None,
    ) -> None:
        self._engine = engine
        self.items = list(items)
        self._make_request = make_request
        self._still_current = still_current or (lambda paragraph: True)
        self._stream: Any = None
        self.cancelled = False
        self.done = 0  # paragraphs handled so far

    def cancel(self) -> None:
        self.cancelled = True
        if self._stream is not None:
            self._stream.cancel()

    async def run(self) -> AsyncIterator[Outcome]:
        """One outcome per paragraph, as each is done."""
        for paragraph in self.items:
            if self.cancelled:
                return
            if not self._still_current(paragraph):
                self.done += 1
                yield Outcome(paragraph, Status.STALE, message="edited before its turn")
                continue
            outcome = await self._one(paragraph)
            if outcome is None:  # cancelled while it ran
                return
            self.done += 1
            yield outcome

    async def _one(self, paragraph: Paragraph) -> Outcome | None:
        try:
            request = self._make_request(paragraph)
            self._stream = self._engine.stream(request)
            text = await self._stream.text()
        except InkwellError as exc:
            return Outcome(paragraph, Status.FAILED, message=exc.message)
        finally:
            stream, self._stream = self._stream, None
        result = stream.result if stream is not None else None
        if self.cancelled:
            return None
        if result is not None and result.cancelled:  # another job replaced this one
            return Outcome(paragraph, Status.FAILED, message="interrupted by another request", result=result)
        if is_change(paragraph, text):
            return Outcome(paragraph, Status.CHANGED, suggestion=text.strip(), result=result)
        return Outcome(paragraph, Status.UNCHANGED, suggestion=text.strip(), result=result)


def apply(text: str, outcomes: Sequence[Outcome]) -> str:
    """`text` with every changed paragraph replaced by its suggestion."""
    changed = sorted(
        (outcome for outcome in outcomes if outcome.status is Status.CHANGED),
        key=lambda outcome: outcome.paragraph.start,
        reverse=True,  # from the end, so earlier offsets stay valid
    )
    for outcome in changed:
        paragraph = outcome.paragraph
        text = text[: paragraph.start] + outcome.suggestion + text[paragraph.end :]
    return text


def unified_diff(text: str, outcomes: Sequence[Outcome], name: str) -> str:
    """The suggestions as a unified diff of the whole text (`patch -p0` applies it)."""
    after = apply(text, outcomes)
    lines = difflib.unified_diff(
        text.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=name,
        tofile=name,
    )
    ending = "\n\\ No newline at end of file\n"
    return "".join(line if line.endswith("\n") else line + ending for line in lines)
