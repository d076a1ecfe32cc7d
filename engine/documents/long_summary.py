"""Summaries of texts far longer than the model's context: split, summarise each part,
combine the summaries.

The text is split on its headings, then on paragraphs, into parts a small model reads
well (`PART_CHARS`); each part is summarised under the path of headings it sits in (the
map), and the part summaries, each under its heading, are combined in groups that fit,
again while more than one group is left (the reduce). The last combination streams to
the writer. Every character of the text is read once by the map and each reduce level
reads about a tenth of the one before, so the cost grows linearly with the length.

Plain data in and out; the engine runs each request like any other, so the window, the
CLI and a server backend all use this the same way.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, replace
from typing import Any

from engine.errors import GenerationError, InputError
from engine.jobs import Request, Result, next_job_id

PART_CHARS = 6000  # about 1,500 tokens of English: well inside the context, and read well
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass(frozen=True)
class Part:
    title: str  # the headings above it, "Chapter › Section" ("" before the first)
    text: str
    chapter: str = ""  # the top-level heading it belongs to ("" before the first)


@dataclass(frozen=True)
class Progress:
    """A stage of the work: `done` of `total` requests of this level are finished."""

    level: int  # 0: the parts themselves; 1, 2...: combining the summaries
    done: int
    total: int

    def describe(self) -> str:
        if self.level == 0:
            return f"part {self.done} of {self.total}"
        return f"combining {self.done} of {self.total}"


def split_parts(text: str, limit: int = PART_CHARS) -> list[Part]:
    """The text in parts of at most `limit` characters, in order: whole sections packed
    together while they fit (their heading lines kept in the text), a new part at every
    chapter (a heading of the text's top-most level), a long section split between
    paragraphs (a paragraph longer than the limit on its sentences). A part that starts
    inside a section carries the headings above it as its title."""
    blocks = _blocks(text)
    top = min((level for _, level, _ in blocks if level), default=1)  # the chapters' level
    parts: list[Part] = []
    path: list[tuple[int, str]] = []  # (level, name) of the headings above
    current: list[str] = []
    size = 0
    title = chapter = ""

    def close() -> None:
        nonlocal current, size
        if current:
            parts.append(Part(title, "\n\n".join(current), chapter))
        current, size = [], 0

    for block, level, name in blocks:
        pieces = [block] if level and len(block) <= limit else _pieces(block.strip(), limit)
        above = " › ".join(heading for _, heading in path)
        if level:
            path = [(deeper, heading) for deeper, heading in path if deeper < level]
            above = " › ".join(heading for _, heading in path)
            path.append((level, name))
            if level == top:  # a new chapter: a new part
                close()
        for piece in pieces:
            if current and size + len(piece) + 2 > limit:
                close()
            if not current:
                title = above if level and piece is pieces[0] else " › ".join(heading for _, heading in path)
                chapter = next((heading for deeper, heading in path if deeper == top), "")
            current.append(piece)
            size += len(piece) + 2
    close()
    return parts


def _blocks(text: str) -> list[tuple[str, int, str]]:
    """(block, heading level or 0, heading name) for each run of lines between blank lines;
    lines inside fenced code are never headings ("# a comment")."""
    found: list[tuple[str, int, str]] = []
    fenced = False
    for block in re.split(r"\n\s*\n", text):
        block = block.strip("\n")
        if not block.strip():
            continue
        lines = block.splitlines()
        heading = None if fenced else _HEADING.match(lines[0])
        fenced ^= sum(1 for line in lines if _FENCE.match(line)) % 2 == 1
        found.append((block, len(heading.group(1)), heading.group(2)) if heading else (block, 0, ""))
    return found


def _pieces(paragraph: str, limit: int) -> list[str]:
    if len(paragraph) <= limit:
        return [paragraph]
    pieces: list[str] = []
    current = ""
    for sentence in _SENTENCE_END.split(paragraph):
        while len(sentence) > limit:  # no sentence end in sight: cut where the limit falls
            pieces.append(sentence[:limit])
            sentence = sentence[limit:]
        if current and len(current) + 1 + len(sentence) > limit:
            pieces.append(current)
            current = ""
        current = f"{current} {sentence}" if current else sentence
    if current:
        pieces.append(current)
    return pieces


def titled(part: Part) -> str:
    """A part as the model reads it: its headings first, so the summary can name them."""
    return f"{part.title}\n\n{part.text}" if part.title else part.text


class LongSummary:
    """Runs the map and the reduce through the engine. `run()` yields `Progress` events and
    then the final summary's text deltas (str); `cancel()` stops inside the running job."""

    def __init__(
        self,
        engine: Any,
        text: str,
        make_request: Callable[[str], Request],
        *,
        part_chars: int = PART_CHARS,
    ) -> None:
        self._engine = engine
        self._make_request = make_request
        self.part_chars = part_chars
        self.parts = split_parts(text, part_chars)
        if not self.parts:
            raise InputError("There is nothing to summarize in this text.")
        self._stream: Any = None
        self.cancelled = False
        self.requests = 0  # jobs run so far
        self.result: Result | None = None  # the final summary's, once it has streamed
        self.chapters: list[tuple[str, str]] = []  # (heading, summary), when there are several
        self.failed = 0  # parts or groups the model gave no usable summary for

    def cancel(self) -> None:
        self.cancelled = True
        if self._stream is not None:
            self._stream.cancel()

    async def run(self) -> AsyncIterator[Progress | str]:
        """Each part summarised; each chapter's summaries combined into one; then, streamed,
        a summary of the whole and, where there are several chapters, every chapter's
        summary under its own heading (written by us, so no heading is ever lost)."""
        parts = self.parts
        if len(parts) > 1:
            summaries: list[Part] = []
            yield Progress(0, 0, len(parts))
            for number, part in enumerate(parts, start=1):
                summary = await self._summarize(titled(part))
                if self.cancelled:
                    return
                if summary.strip():
                    summaries.append(Part(part.title, summary.strip(), part.chapter))
                yield Progress(0, number, len(parts))
            chapters: dict[str, list[Part]] = {}
            for done in summaries:
                chapters.setdefault(done.chapter, []).append(done)
            yield Progress(1, 0, len(chapters))
            if len(chapters) == 1:  # one chapter: its summaries make the final input
                parts = [Part("", await self._combine(summaries, final=True))]
                yield Progress(1, 1, 1)
            else:
                combined: list[Part] = []
                for number, (name, pieces) in enumerate(chapters.items(), start=1):
                    text = await self._combine(pieces)
                    if self.cancelled:
                        return
                    combined.append(Part(name, text, name))
                    yield Progress(1, number, len(chapters))
                # the whole, from the chapters' summaries
                parts = [Part("", await self._combine(combined, final=True))]
                self.chapters = [(part.title, part.text) for part in combined]
            if self.cancelled or not parts[0].text:
                return
        # The last one streams: the writer watches the summary being written.
        self._stream = self._engine.stream(self._make_request(titled(parts[0])))
        self.requests += 1
        try:
            async for delta in self._stream:
                yield delta
            self.result = self._stream.result
        finally:
            self._stream = None
        if self.chapters and not self.cancelled:
            yield "\n\n" + "\n\n".join(f"{name}: {text}" if name else text for name, text in self.chapters)

    async def _combine(self, summaries: list[Part], *, final: bool = False) -> str:
        """Summaries made into one: a chapter's summarised together (in groups that fit,
        again while more than one group is left); the `final` input, once it fits one part,
        is left as it is for the caller to stream."""
        if not final and len(summaries) == 1:
            return summaries[0].text
        groups = self._groups(summaries)
        while len(groups) > 1 or not final:
            texts = []
            for group in groups:
                texts.append((await self._summarize(group.text)).strip())
                if self.cancelled:
                    return ""
            shrunk = [Part("", text) for text in texts if text]
            if len(shrunk) <= 1:
                return shrunk[0].text if shrunk else ""
            if len(shrunk) >= len(groups):  # the summaries did not shrink: keep what fits
                return "\n\n".join(part.text for part in shrunk)[: self.part_chars]
            groups, summaries = self._groups(shrunk), shrunk
        return groups[0].text if groups else ""

    async def _summarize(self, text: str) -> str:
        """One part's (or group's) summary; "" when the model gave no usable answer for it
        (the answer checks refused every try): one part must not sink the whole summary."""
        self._stream = self._engine.stream(self._make_request(text))
        self.requests += 1
        try:
            summary: str = await self._stream.text()
            return summary
        except GenerationError:
            self.failed += 1
            return ""
        finally:
            self._stream = None

    def _groups(self, summaries: list[Part]) -> list[Part]:
        """The summaries packed in order into inputs that fit, each under its headings (a
        run of summaries under the same headings names them once)."""
        groups: list[Part] = []
        current: list[str] = []
        size = 0
        title: str | None = None
        for summary in summaries:
            if current and size + len(summary.text) + len(summary.title) + 3 > self.part_chars:
                groups.append(Part("", "\n\n".join(current)))
                current, size, title = [], 0, None
            line = summary.text if summary.title == title else f"{summary.title}\n{summary.text}".strip()
            title = summary.title
            current.append(line)
            size += len(line) + 2
        if current:
            groups.append(Part("", "\n\n".join(current)))
        return groups


class SummaryStream:
    """A long summary behind the face of the engine's `Stream` (text deltas of the final
    summary, `cancel()`, `cancelled`, `result`), so the window shows it like any other
    suggestion; the stages ("part 3 of 12") go to `on_progress`."""

    def __init__(self, engine: Any, request: Request, on_progress: Callable[[Progress], None]) -> None:
        self.request = request
        self.job_id = request.job_id
        self._job = LongSummary(
            engine, request.text, lambda text: replace(request, text=text, job_id=next_job_id())
        )
        self._on_progress = on_progress
        self.cancelled = False
        self.result: Result | None = None

    def cancel(self) -> None:
        self.cancelled = True
        self._job.cancel()

    def __aiter__(self) -> AsyncIterator[str]:
        return self._deltas()

    async def _deltas(self) -> AsyncIterator[str]:
        async for event in self._job.run():
            if isinstance(event, Progress):
                self._on_progress(event)
            else:
                yield event
        final = self._job.result
        if final is not None:
            stop = "cancelled" if self.cancelled else final.stop_reason
            self.result = replace(final, job_id=self.job_id, stop_reason=stop)
