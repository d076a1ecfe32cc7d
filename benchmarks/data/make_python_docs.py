"""Make `python-docs.md`, the long real text of `benchmarks/long_documents.py`, from the
reStructuredText sources inside Debian's `python3.11-doc` package.

    apt-get download python3.11-doc && dpkg -x python3.11-doc_*.deb unpacked
    python benchmarks/data/make_python_docs.py unpacked > benchmarks/data/python-docs.md

The tutorial, the HOWTOs and the FAQ, in the order of their tables of contents, turned
into light Markdown: titles become headings, code stays in fenced blocks, directives and
comments go, roles keep their text. Nobody on the team wrote it, and it is long (about
160,000 words). Licence: PSF License Agreement, version 2 (the code examples also under
the Zero-Clause BSD licence); see `python-docs.LICENSE.md`.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

SOURCES = "usr/share/doc/python3.11/html/_sources"
PARTS = ("tutorial", "howto", "faq")
_UNDERLINE = re.compile(r"^([=\-~^*#+\"'`:.])\1{2,}\s*$")
_ROLE = re.compile(r":[\w:.-]+:`([^`]*)`")
_REFERENCE = re.compile(r"`([^`<]+?)\s*<[^>]*>`_{1,2}|`([^`]+)`_{1,2}")


def _role_text(match: re.Match[str]) -> str:
    text = match.group(1)
    named = re.match(r"(.*?)\s*<[^>]*>$", text)
    if named and named.group(1):
        return named.group(1)
    text = text.lstrip("~!")
    return text.rsplit(".", 1)[-1] if match.group(0).startswith((":meth:", ":func:", ":attr:")) else text


def inline(line: str) -> str:
    line = _ROLE.sub(_role_text, line)
    line = _REFERENCE.sub(lambda m: m.group(1) or m.group(2), line)
    return line.replace("``", "`")


def order(folder: Path) -> list[Path]:
    """The part's pages in the order of its index's table of contents."""
    index = folder / "index.rst.txt"
    pages = []
    if index.is_file():
        for line in index.read_text(encoding="utf-8").splitlines():
            name = line.strip().removesuffix(".rst")
            if name and not name.startswith((":", "..")) and (folder / f"{name}.rst.txt").is_file():
                pages.append(folder / f"{name}.rst.txt")
    rest = sorted(set(folder.glob("*.rst.txt")) - set(pages) - {index})
    return pages + rest


def convert(text: str) -> str:
    lines = text.splitlines()
    out: list[str] = []
    levels: list[str] = []
    skip_indent: int | None = None  # inside a directive or comment: drop its indented body
    code_indent: int | None = None  # inside a literal block
    i = 0
    while i < len(lines):
        line = lines[i]
        indent = len(line) - len(line.lstrip())
        if code_indent is not None:
            if line.strip() and indent < code_indent:
                out.append("```")
                out.append("")
                code_indent = None
            else:
                out.append(line[code_indent:] if line.strip() else "")
                i += 1
                continue
        if skip_indent is not None:
            if not line.strip() or indent > skip_indent:
                i += 1
                continue
            skip_indent = None
        if line.lstrip().startswith(".."):
            skip_indent = indent
            i += 1
            continue
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if _UNDERLINE.match(line) and i + 2 < len(lines) and _UNDERLINE.match(lines[i + 2]):
            line, following, i = lines[i + 1], lines[i + 2], i + 1  # an overlined title
        if line.strip() and _UNDERLINE.match(following) and len(following.strip()) >= len(line.strip()):
            mark = following.strip()[0]
            if mark not in levels:
                levels.append(mark)
            out.append("#" * min(6, levels.index(mark) + 1) + " " + inline(line.strip()))
            out.append("")
            i += 2
            continue
        if line.rstrip().endswith("::"):
            # "text::" reads "text:"; "text ::" and a lone "::" lose the colons
            body = line.rstrip()
            kept = body[:-2].rstrip() if body.endswith(" ::") or body.strip() == "::" else body[:-1]
            if kept.strip():
                out.append(inline(kept.strip()))
            # the literal block starts after the blank line, at a deeper indent
            j = i + 1
            while j < len(lines) and not lines[j].strip():
                j += 1
            if j < len(lines):
                code_indent = len(lines[j]) - len(lines[j].lstrip())
                if code_indent > indent:
                    out.extend(["", "```"])
                    i = j
                    continue
                code_indent = None
            i += 1
            continue
        out.append(inline(line.strip()) if line.strip() else "")
        i += 1
    if code_indent is not None:
        out.append("```")
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip() + "\n"


def main() -> None:
    root = Path(sys.argv[1]) / SOURCES
    pages = [page for part in PARTS for page in order(root / part)]
    sys.stdout.write("\n".join(convert(page.read_text(encoding="utf-8")) for page in pages))


if __name__ == "__main__":
    main()
