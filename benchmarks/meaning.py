"""Do rewrites and summaries mean what the writer meant? Measured on the bundled model.

    .venv/bin/python benchmarks/meaning.py [--split heldout|dev|both] [--styles formal,shorter]

On benchmarks/data/meaning.toml (fact-dense paragraphs with each fact's role labelled by
hand, and reports of 150 to 1,000 words), per split:
  rewrites   relations kept (a labelled fact and its word in one sentence, no other
             labelled fact between them); facts kept; moved facts the verdict did not
             flag; invented numbers and names the verdict did not flag; non-answers;
             style achieved per style, by lexical checks written here (formal: no
             contraction, slang or lower-case sentence start; shorter <= 0.9x; expand
             >= 1.2x), casual and clearer by engine/fidelity/style_check.py; seconds each
  summaries  repeated sentences, invented facts, sentences supported by the source,
             compression, sources per sentence; a 2,000-word and a 40,000-word text
The checks here are the benchmark's own, independent of engine/fidelity/verdict.py where
they can be. Prints JSON. Record the CPU with the numbers.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import re
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.fidelity_metrics import non_answer, repeated_sentences  # noqa: E402

DATA = ROOT / "benchmarks" / "data" / "meaning.toml"
STYLES = ("formal", "casual", "shorter", "clearer", "expand")
_CONTRACTION = re.compile(
    r"\b\w+['’](?:t|re|ll|ve|m|d)\b|\b(?:it|that|there|he|she|what|who|let)['’]s\b", re.I
)
_SLANG = re.compile(
    r"\b(?:gonna|wanna|gotta|kinda|sorta|dunno|yeah|yep|nope|stuff|guys|super|awesome|cool|cuz|tbh)\b", re.I
)
_LOWER_START = re.compile(r"(?:^|[.!?]\s+)[a-z]")
_NUMBER = re.compile(r"\d[\d,.]*\d|\d")
_CAPITAL = re.compile(r"(?<=[a-z,;] )[A-Z][a-z]+")


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]


def _has(word: str, text: str) -> list[int]:
    if word[:1].isdigit():
        pattern = r",?".join(re.escape(c) for c in word.replace(",", ""))
        return [m.start() for m in re.finditer(rf"(?<![\d.,]){pattern}(?![\d]|[.,]\d)", text)]
    return [m.start() for m in re.finditer(rf"\b{re.escape(word[:5])}", text, re.I)]


_CLAUSE = re.compile(r"[;:()]|,\s|[.!?]+\s|\n|\s(?=(?:and|but|while|whereas|which|who)\s)", re.I)
# A short phrase that opens a clause before its comma: "In winter, there are 4".
_OPENER = re.compile(
    r"(?:(?:and|but)\s)?(?i:in|on|at|by|during|under|after|before|since|until|for)(?:\s[\w,]+){1,2}"
)
# A piece that is only a name renames the noun before it.
_NAME_ONLY = re.compile(r"(?:[A-Z][\w'’-]*\s?){1,3}")
# The benchmark's own synonyms for the labelled words (not engine/fidelity/verdict.py's).
_SAME = [
    {"start", "begin", "commence"}, {"open", "inaugurat", "launch"}, {"close", "shut"},
    {"fell", "fall", "drop", "declin", "decreas", "shrank"}, {"grew", "grow", "rose", "rise", "increas"},
    {"cost", "price", "spent", "paid"}, {"hire", "employ", "recruit"}, {"found", "establish", "start"},
    {"took", "take", "assum", "succeed"}, {"flat", "unchang", "steady", "stable", "same"},
    {"leave", "depart"}, {"rebuilt", "rebuil", "reconstruct"}, {"burn", "fire"},
    {"sold", "sell"}, {"loss", "lost", "lose"}, {"visitor", "visit"}, {"member", "membership"},
    {"child", "kid"}, {"wrote", "write", "writt"}, {"carry", "transport"}, {"finish", "complet"},
    {"stay", "remain"},
]  # fmt: skip


def _key(word: str) -> str:
    lower = word.lower()
    return (lower[:-3] + "y" if lower.endswith("ied") else lower)[:5]  # "carried" is "carry"


def _stems(word: str) -> set[str]:
    key = _key(word)
    out = {key}
    for group in _SAME:
        if any(key.startswith(g[:5]) or g.startswith(key) for g in group):
            out |= {g[:5] for g in group}
    return out


def _clauses(sentence: str, facts: list[str]) -> list[str]:
    """Clauses of a sentence; one that holds only facts and small words joins the next."""
    pieces = [p for p in _CLAUSE.split(sentence) if p and p.strip()]
    out: list[str] = []
    carry = ""
    for piece in pieces:
        words = [w for w in re.findall(r"[A-Za-z]+", piece) if len(w) > 3 and w not in facts]
        opens = (not out and not carry.strip()) or re.match(r"\s*(?:and|but)\s", piece)
        if opens and _OPENER.fullmatch(piece.strip()):  # "In winter," belongs to the clause it opens
            carry += " " + piece
            continue
        if out and _NAME_ONLY.fullmatch(piece.strip()):  # "Its keeper, Patrick Flynn, stayed"
            out[-1] += " " + piece
            continue
        if not words:  # "in July": with the clause before it, or the next at the start
            if out:
                out[-1] += " " + piece
            else:
                carry += " " + piece
            continue
        out.append(carry + " " + piece)
        carry = ""
    if carry and out:
        out[-1] += carry
    elif carry:
        out.append(carry)
    return out


def relation_kept(fact: str, anchor: str, answer: str, facts: list[str]) -> bool:
    """The fact stands in a clause with its labelled word (a stem or a listed synonym)."""
    wanted = _stems(anchor)
    for sentence in _sentences(answer):
        for clause in _clauses(sentence, facts):
            if not _has(fact, clause):
                continue
            if anchor[:1].isdigit() or anchor[:1].isupper():  # the word is itself a fact
                if _has(anchor, clause):
                    return True
                continue
            words = {_key(w) for w in re.findall(r"[A-Za-z]+", clause)}
            if words & wanted or any(
                w.startswith(k) or k.startswith(w) for w in words for k in wanted if len(w) >= 4
            ):
                return True
    return False


def additions(source: str, answer: str) -> list[str]:
    added = [n for n in _NUMBER.findall(answer) if not _has(n, source)]
    added += [w for w in _CAPITAL.findall(answer) if w.lower() not in source.lower()]
    return added


def style_achieved(style: str, source: str, answer: str) -> bool:
    from engine.fidelity import style_check

    n, m = len(source.split()), len(answer.split())
    if style == "formal":
        return not (_CONTRACTION.search(answer) or _SLANG.search(answer) or _LOWER_START.search(answer))
    if style == "shorter":
        return m <= 0.9 * n
    if style == "expand":
        return m >= 1.2 * n
    return style_check.check(style, source, answer) == ""


def cpu() -> dict[str, str]:
    import torch

    model = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    return {
        "cpu": model,
        "capability": torch.backends.cpu.get_cpu_capability(),
        "machine": platform.machine(),
    }


async def run(split: str, styles: tuple[str, ...], *, limit: int = 0, long: bool = True) -> dict[str, object]:
    from engine.factory import create_local_engine
    from engine.fidelity.summaries import split as split_sentences
    from engine.fidelity.summaries import support
    from engine.jobs import Request
    from engine.models.spec import ModelSpec

    data = tomllib.loads(DATA.read_text(encoding="utf-8"))
    splits = ("dev", "heldout") if split == "both" else (split,)
    engine = create_local_engine(compile_step="use").start()
    await asyncio.wrap_future(engine.load(ModelSpec.bundled()))
    report: dict[str, object] = {"machine": cpu()}
    try:
        for name in splits:
            paragraphs = [p for p in data["paragraph"] if p["split"] == name][: limit or None]
            rows: dict[str, dict[str, float]] = {}
            totals = {"roles": 0, "kept": 0, "facts": 0, "facts_kept": 0, "moved_unflagged": 0,
                      "invented_unflagged": 0, "non_answers": 0, "answers": 0, "seconds": 0.0,
                      "slowest": 0.0}  # fmt: skip
            examples: list[dict[str, object]] = []
            for style in styles:
                achieved = 0
                for paragraph in paragraphs:
                    source = paragraph["text"]
                    started = time.perf_counter()
                    result = await _result(engine, Request("rewrite", source, style=style))
                    seconds = time.perf_counter() - started
                    answer = result.text
                    verdict = result.verdict
                    facts = [fact for fact, _ in paragraph["roles"]]
                    totals["answers"] += 1
                    totals["seconds"] += seconds
                    totals["slowest"] = max(totals["slowest"], seconds)
                    achieved += style_achieved(style, source, answer)
                    totals["non_answers"] += (
                        non_answer(source, answer, shorter=style == "shorter") is not None
                    )
                    for fact in dict.fromkeys(facts):
                        totals["facts"] += 1
                        totals["facts_kept"] += bool(_has(fact, answer))
                    flagged = set(verdict.moved + verdict.missing) if verdict else set()
                    for fact, anchor in paragraph["roles"]:
                        totals["roles"] += 1
                        kept = relation_kept(fact, anchor, answer, facts)
                        totals["kept"] += kept
                        if not kept and _has(fact, answer) and fact not in flagged:
                            totals["moved_unflagged"] += 1
                            examples.append({"style": style, "moved": fact, "answer": answer})
                    added = additions(source, answer)
                    shown = set(verdict.invented) if verdict else set()
                    unflagged = [a for a in added if a not in shown]
                    totals["invented_unflagged"] += len(unflagged)
                    if unflagged:
                        examples.append({"style": style, "invented": unflagged, "answer": answer})
                rows[style] = {"achieved": round(achieved / max(1, len(paragraphs)), 3)}
            summaries = await _summaries(engine, [r["text"] for r in data["report"] if r["split"] == name],
                                         split_sentences, support)  # fmt: skip
            report[name] = {
                "paragraphs": len(paragraphs),
                "relations_kept": round(totals["kept"] / max(1, totals["roles"]), 3),
                "facts_kept": round(totals["facts_kept"] / max(1, totals["facts"]), 3),
                "moved_shown_without_flag": totals["moved_unflagged"],
                "invented_shown_without_flag": totals["invented_unflagged"],
                "non_answers": totals["non_answers"],
                "style_achieved": rows,
                "seconds_per_rewrite": round(totals["seconds"] / max(1, totals["answers"]), 2),
                "slowest_rewrite_s": round(totals["slowest"], 2),
                "summaries": summaries,
                "examples": examples[:12],
            }
        if long:
            report["long"] = await _long(engine)
    finally:
        engine.close()
    return report


async def _result(engine: object, request: object) -> object:
    """The result; a refusal ("nothing was changed") counts as the text given back."""

    from engine.errors import GenerationError

    stream = engine.stream(request)  # type: ignore[attr-defined]
    try:
        async for _delta in stream:
            pass
    except GenerationError as exc:
        if "nothing was changed" not in exc.message:
            raise
        from engine.fidelity.verdict import judge

        text = request.text  # type: ignore[attr-defined]
        return _Refused(text, judge(text, text, style=request.style), exc.message)  # type: ignore[attr-defined]
    return stream.result


class _Refused:
    def __init__(self, text: str, verdict: object, message: str) -> None:
        self.text, self.verdict, self.message, self.sources = text, verdict, message, ()


async def _summaries(
    engine: object, texts: list[str], split_sentences: object, support: object
) -> dict[str, object]:
    from engine.jobs import Request

    repeated = invented = supported = sentences = 0
    compression: list[float] = []
    for text in texts:
        result = await _result(engine, Request("summarize", text))
        repeated += repeated_sentences(result.text)
        invented += len(additions(text, result.text))
        source_sentences = split_sentences(text)  # type: ignore[operator]
        for sentence in result.sources:
            sentences += 1
            said = result.text[sentence.start : sentence.end]
            supported += bool(sentence.sources) and bool(support(text, said, source_sentences))  # type: ignore[operator]
        compression.append(len(result.text.split()) / len(text.split()))
    return {
        "texts": len(texts),
        "repeated_sentences": repeated,
        "invented_facts": invented,
        "supported_share": round(supported / max(1, sentences), 3),
        "compression_max": round(max(compression, default=0.0), 3),
        "compression_mean": round(sum(compression) / max(1, len(compression)), 3),
    }


async def _long(engine: object) -> dict[str, object]:
    from engine.jobs import Request

    data = tomllib.loads(DATA.read_text(encoding="utf-8"))
    two_thousand = "\n\n".join(r["text"] for r in data["report"] if r["split"] != "fresh")
    docs = (ROOT / "benchmarks" / "data" / "python-docs.md").read_text(encoding="utf-8")
    cut = [m.start() for m in re.finditer(r"\S+", docs)][40_000]
    out: dict[str, object] = {}
    for label, text in (("2000_words", two_thousand), ("40000_words", docs[:cut])):
        started = time.perf_counter()
        result = await _result(engine, Request("summarize", text))
        out[label] = {
            "words_in": len(text.split()),
            "words_out": len(result.text.split()),
            "repeated_sentences": repeated_sentences(result.text),
            "seconds": round(time.perf_counter() - started, 2),
            "sentences_with_sources": sum(bool(s.sources) for s in result.sources),
            "sentences": len(result.sources),
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", default="heldout", choices=["dev", "heldout", "both", "fresh", "fresh2"])
    parser.add_argument("--styles", default=",".join(STYLES))
    parser.add_argument("--limit", type=int, default=0, help="only the first N paragraphs of each split")
    parser.add_argument("--no-long", action="store_true", help="skip the 2,000- and 40,000-word summaries")
    args = parser.parse_args()
    styles = tuple(s for s in args.styles.split(",") if s)
    report = asyncio.run(run(args.split, styles, limit=args.limit, long=not args.no_long))
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
