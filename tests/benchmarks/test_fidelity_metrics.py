"""The fidelity benchmark's judge: seeded errors, the word alignment, facts, non-answers."""

from __future__ import annotations

import random

from benchmarks.fidelity_metrics import (
    facts_kept,
    non_answer,
    repeated_sentences,
    score_proofread,
    seed_errors,
)

CLEAN = "The old lighthouse stood at the end of the pier, and there was a keeper who wrote the weather down."
KNOWN = {w.lower() for w in CLEAN.replace(",", "").replace(".", "").split()}


def test_seeding_is_repeatable_and_changes_only_the_seeded_words() -> None:
    one = seed_errors(CLEAN, 3, random.Random(4), KNOWN, set())
    two = seed_errors(CLEAN, 3, random.Random(4), KNOWN, set())
    assert one == two and len(one.errors) == 3 and one.noisy != CLEAN
    assert len({error.kind for error in one.errors}) >= 2
    perfect = score_proofread(one, CLEAN)
    assert perfect.fixed == 3 and perfect.damaged == 0


def test_an_untouched_answer_fixes_nothing_and_damages_nothing() -> None:
    seeded = seed_errors(CLEAN, 3, random.Random(9), KNOWN, set())
    score = score_proofread(seeded, seeded.noisy)
    assert score.fixed == 0 and score.damaged == 0 and score.errors == 3


def test_rewriting_correct_words_counts_as_damage() -> None:
    seeded = seed_errors(CLEAN, 2, random.Random(1), KNOWN, set())
    answer = CLEAN.replace("old lighthouse stood", "ancient beacon was").replace("keeper", "man")
    score = score_proofread(seeded, answer)
    assert score.damaged >= 4  # three words replaced, one more
    assert score.correct == len(CLEAN.replace(",", " ,").replace(".", " .").split()) - 2


def test_facts_and_non_answers() -> None:
    assert facts_kept(["450", "2,350", "Elena"], "sold 2350 of 450; elena said") == ["450", "2,350", "Elena"]
    assert facts_kept(["3"], "on June 13") == []
    assert non_answer("a b c d e f", "I'm sorry, I cannot help.") == "talks about the task"
    assert non_answer("one two three four five six", "one") == "cut short"
    assert non_answer("one two three four", "uno dos tres cuatro") is None
    assert repeated_sentences("It rains. The sky is grey today. It rains. The sky is grey today.") == 1
