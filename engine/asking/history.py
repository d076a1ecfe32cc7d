"""A document's conversation with the Ask panel, kept beside its recovery copies.

A writer who asks "when does the work start?" on Monday should find the answer there on
Tuesday, so each saved file's questions and answers are kept in the data folder (never
next to the writer's file), keyed by the file's path. An untitled document's
conversation lives only in the window; a file that has since been deleted loses its
conversation when Inkwell next tidies up (`prune`).
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from engine.documents.document_records import DocumentRecords

KEEP_TURNS = 200  # the newest questions of a document; older ones are dropped


@dataclass(frozen=True)
class Turn:
    question: str
    answer: str
    sources: tuple[tuple[int, int, int], ...] = ()  # (paragraph, start, end) of the document
    found: bool = True
    at: float = field(default_factory=time.time)


class ConversationStore:
    """One JSON file per document in `folder` (engine/documents/document_records.py)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._records = DocumentRecords(folder, KEEP_TURNS, field="turns")

    def load(self, document: Path) -> list[Turn]:
        """The document's conversation, oldest first; [] when there is none or it is unreadable."""
        try:
            return [
                Turn(t["question"], t["answer"], tuple(tuple(s) for s in t["sources"]), t["found"], t["at"])
                for t in self._records.load(document)
            ]
        except (KeyError, TypeError, ValueError):
            return []

    def save(self, document: Path, turns: list[Turn]) -> None:
        """Keep `turns` for `document` (the newest KEEP_TURNS); an empty list removes it."""
        self._records.save(document, [asdict(t) for t in turns])

    def prune(self) -> int:
        """Remove the conversations of documents that no longer exist; how many went."""
        return self._records.prune()


def as_markdown(turns: list[Turn], title: str) -> str:
    """The conversation as Markdown: each question a heading, each answer quoted with
    the paragraphs it came from."""
    lines = [f"# Questions about {title}", ""]
    for turn in turns:
        lines += [f"## {turn.question}", ""]
        lines += [f"> {line}" if line else ">" for line in turn.answer.splitlines()] or [">"]
        if turn.sources:
            numbers = ", ".join(f"¶{paragraph}" for paragraph, _start, _end in turn.sources)
            lines += ["", f"Source: {numbers}"]
        lines.append("")
    return "\n".join(lines)
