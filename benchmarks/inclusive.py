"""Does the inclusive-language check flag biased wording, and only that?

    .venv/bin/python benchmarks/inclusive.py [--split heldout|dev|both]

On benchmarks/data/inclusive.toml (40 sentences written for it, half with biased
wording, half clean with traps: names, quotes, "manhole"), per split: precision (flags
that are the labelled wording) and recall (labelled wordings flagged), with the misses
and extra flags listed. No model is needed: the check is a list and a rule. Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DATA = ROOT / "benchmarks" / "data" / "inclusive.toml"


def score(sentences: list[dict[str, str]]) -> dict[str, object]:
    from engine.fidelity.inclusive import check, load

    listed = load()  # the shipped list alone: a writer's own file plays no part
    found = wrong = missed = 0
    misses: list[dict[str, object]] = []
    for sentence in sentences:
        flags = [flag.text.lower() for flag in check(sentence["text"], listed)]
        wanted = sentence.get("flag", "").lower()
        hit = bool(wanted) and wanted in flags
        extra = [flag for flag in flags if flag != wanted]
        found += hit
        missed += bool(wanted) and not hit
        wrong += len(extra)
        if extra or (wanted and not hit):
            misses.append({"text": sentence["text"], "flags": flags, "wanted": wanted})
    return {
        "sentences": len(sentences),
        "precision": round(found / (found + wrong), 3) if found + wrong else 1.0,
        "recall": round(found / (found + missed), 3) if found + missed else 1.0,
        "misses": misses,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", default="heldout", choices=["dev", "heldout", "both"])
    args = parser.parse_args()
    data = tomllib.loads(DATA.read_text(encoding="utf-8"))["sentence"]
    splits = ("dev", "heldout") if args.split == "both" else (args.split,)
    report = {name: score([s for s in data if s["split"] == name]) for name in splits}
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
