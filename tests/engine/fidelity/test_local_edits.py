"""A server's free proofread, reduced to its small local corrections."""

from __future__ import annotations

import pytest

from engine.fidelity.local_edits import distance, keep_local_edits
from engine.fidelity.spelling import Dictionary


@pytest.fixture(scope="module")
def english() -> Dictionary:
    return Dictionary("en")


def test_corrections_are_kept(english: Dictionary) -> None:
    source = "Teh team was late because alot of the the trains was cancelled on Friday."
    answer = "The team was late because a lot of the trains were cancelled on Friday."
    text, edits = keep_local_edits(source, answer, english)
    assert text == "The team was late because a lot of the trains were cancelled on Friday."
    assert edits == ["Teh→The", "alot→a lot", "the→", "was→were"]


def test_rephrasing_preambles_and_dropped_sentences_are_not(english: Dictionary) -> None:
    source = "Marco sold 450 units in June. Sales were slow, so teh team tried a new price."
    answer = "Sure! Here is the corrected text: Mark sold many units. The team tried a new price."
    text, edits = keep_local_edits(source, answer, english)
    assert text == "Marco sold 450 units in June. Sales were slow, so the team tried a new price."
    assert edits == ["teh→the"]


def test_a_missing_article_is_put_back(english: Dictionary) -> None:
    text, edits = keep_local_edits("She bought car yesterday.", "She bought a car yesterday.", english)
    assert text == "She bought a car yesterday." and edits == ["→a"]


def test_distance_counts_a_swap_as_one_edit() -> None:
    assert distance("recieve", "receive") == 1
    assert distance("kitten", "sitting") == 3
