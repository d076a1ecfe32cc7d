"""A document as numbered paragraphs, each with its character offsets.

Answers about a draft cite its paragraphs, and a citation is only useful if a click on
"¶4" lands on the fourth paragraph the writer sees. So paragraphs are what the editor
shows: blocks of text between blank lines, numbered from 1 in reading order. A heading
is its own paragraph, so an answer can never cite a heading for a fact, but its words
lend context to the paragraphs under it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_BLOCK = re.compile(r"\S(?:.*\S)?(?:\n[ \t]*\S(?:.*\S)?)*")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*)$")


@dataclass(frozen=True)
class Paragraph:
    number: int  # from 1, as the writer counts them
    start: int  # character offsets in the document
    end: int
    text: str
    heading: str = ""  # the nearest heading above it, for context

    @property
    def is_heading(self) -> bool:
        return _HEADING.match(self.text) is not None


def split(document: str) -> list[Paragraph]:
    """The document's paragraphs (blocks between blank lines) in order."""
    out: list[Paragraph] = []
    heading = ""
    for match in _BLOCK.finditer(document):
        start, text = match.start(), match.group()
        first, _, rest = text.partition("\n")
        found = _HEADING.match(first)
        if found:  # "## Budget" on the line above its text: a paragraph of its own
            out.append(Paragraph(len(out) + 1, start, start + len(first), first, heading))
            heading = found.group(1).strip()
            if not rest.strip():
                continue
            lead = len(rest) - len(rest.lstrip())
            start, text = start + len(first) + 1 + lead, rest.strip()
        out.append(Paragraph(len(out) + 1, start, start + len(text), text, heading))
    return out
