"""docs/ARCHITECTURE.md names files and symbols; this fails when one of them is gone,
so the tour cannot silently drift from the code."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOUR = ROOT / "docs" / "ARCHITECTURE.md"
_CODE = re.compile(r"`([^`\n]+)`")
_PATH = re.compile(r"[\w./-]+\.(?:py|toml|md|c|ts)|(?:engine|ui|tests|resources|benchmarks|docs)/[\w/]*")
_MEMBER = re.compile(r"([A-Z]\w+)\.(\w+)(?:\(.*\))?")
_CONSTANT = re.compile(r"[A-Z][A-Z_]{3,}")


def _sources() -> str:
    files = [p for d in ("engine", "ui", "benchmarks", "tests") for p in (ROOT / d).rglob("*.py")]
    return "\n".join(p.read_text(encoding="utf-8") for p in [*files, ROOT / "main.py"])


def test_every_file_and_symbol_the_tour_names_exists() -> None:
    names = _CODE.findall(TOUR.read_text(encoding="utf-8"))
    code = _sources()
    every_file = {p.name for p in ROOT.rglob("*") if ".venv" not in p.parts and ".git" not in p.parts}
    gone = []
    checked = 0
    for name in names:
        if _PATH.fullmatch(name):
            checked += 1
            # a file in the writer's folders ("settings.toml") is named by the code instead
            if not (
                (ROOT / name).exists() or ("/" not in name and (name in every_file or f'"{name}"' in code))
            ):
                gone.append(name)
        elif member := _MEMBER.fullmatch(name):
            checked += 1
            cls, attr = member.groups()
            if not re.search(rf"^class {cls}\b", code, re.M) or not re.search(
                rf"^\s+(?:async )?def {attr}\b|^\s+{attr}\s*[:=]", code, re.M
            ):
                gone.append(name)
        elif _CONSTANT.fullmatch(name):
            checked += 1
            if not re.search(rf"^{name}\s*[:=]", code, re.M):
                gone.append(name)
    assert checked >= 60, checked  # the tour names this many at least: the patterns still find them
    assert gone == [], f"named in docs/ARCHITECTURE.md but not in the code: {gone}"
