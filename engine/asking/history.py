"""A document's conversation with the Ask panel, kept beside its recovery copies.

A writer who asks "when does the work start?" on Monday should find the answer there on
Tuesday, so each saved file's questions and answers are kept in the data folder (never
next to the writer's file), keyed by the file's path. An untitled document's
conversation lives only in the window; a file that has since been deleted loses its
conversation when Inkwell next tidies up (`prune`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from engine.documents.files import atomic_write

KEEP_TURNS = 200  # the newest questions of a document; older ones are dropped
FORMAT = 1


@dataclass(frozen=True)
class Turn:
    question: str
    answer: str
    sources: tuple[tuple[int, int, int], ...] = ()  # (paragraph, start, end) of the document
    found: bool = True
    at: float = field(default_factory=time.time)


class ConversationStore:
    """One JSON file per document in `folder`, named by a hash of the document's path."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _file(self, document: Path) -> Path:
        key = hashlib.sha256(str(document.resolve()).encode("utf-8")).hexdigest()[:24]
        return self.folder / f"{key}.json"

    def load(self, document: Path) -> list[Turn]:
        """The document's conversation, oldest first; [] when there is none or it is unreadable."""
        try:
            data = json.loads(self._file(document).read_text(encoding="utf-8"))
            return [
                Turn(t["question"], t["answer"], tuple(tuple(s) for s in t["sources"]), t["found"], t["at"])
                for t in data["turns"]
            ]
        except (OSError, ValueError, KeyError, TypeError):
            return []

    def save(self, document: Path, turns: list[Turn]) -> None:
        """Keep `turns` for `document` (the newest KEEP_TURNS); an empty list removes it."""
        path = self._file(document)
        if not turns:
            with contextlib.suppress(OSError):
                path.unlink()
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        record = {
            "format": FORMAT,
            "document": str(document.resolve()),
            "turns": [asdict(t) for t in turns[-KEEP_TURNS:]],
        }
        atomic_write(path, json.dumps(record, ensure_ascii=False, indent=1).encode("utf-8"))

    def prune(self) -> int:
        """Remove the conversations of documents that no longer exist; how many went."""
        removed = 0
        for path in self.folder.glob("*.json") if self.folder.is_dir() else ():
            try:
                document = Path(json.loads(path.read_text(encoding="utf-8"))["document"])
            except (OSError, ValueError, KeyError, TypeError):
                continue
            if not document.exists():
                with contextlib.suppress(OSError):
                    path.unlink()
                    removed += 1
        return removed


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
