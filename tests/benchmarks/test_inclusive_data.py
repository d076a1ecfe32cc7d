"""The inclusive-language benchmark's data: 40 sentences, half biased and half clean in
each split, every labelled wording written in its sentence; and its score can fail."""

from __future__ import annotations

import tomllib

from benchmarks.inclusive import DATA, score


def test_the_sentences_are_balanced_and_labelled_in_place() -> None:
    sentences = tomllib.loads(DATA.read_text(encoding="utf-8"))["sentence"]
    assert len(sentences) == 40
    for half in ("dev", "heldout"):
        mine = [s for s in sentences if s["split"] == half]
        assert len(mine) == 20 and sum("flag" in s for s in mine) == 10
    for sentence in sentences:
        assert sentence.get("flag", "") in sentence["text"]


def test_the_score_counts_misses_and_extra_flags() -> None:
    report = score([{"text": "The chair spoke.", "flag": "chair"}, {"text": "The chairman spoke."}])
    assert report["recall"] == 0.0 and report["precision"] == 0.0 and len(report["misses"]) == 2
