"""Styles as edits from the word lists (here without a model: the first proposal of each
list is taken, as a server backend does; tests/engine/fidelity/test_meaning.py runs the
model's judgement)."""

from __future__ import annotations

from engine.fidelity.style_check import check, formal_problems
from engine.fidelity.style_edits import StyleEditor, capitalise

EDITOR = StyleEditor(None)


def test_formal_writes_contractions_out_and_replaces_slang() -> None:
    note = "hey guys, we're gonna move the meeting to thursday cuz i can't make it."
    formal = EDITOR.apply(note, "formal")
    assert formal_problems(formal) == [], formal
    assert "Thursday" in formal and "cannot" in formal and "going to" in formal


def test_casual_contracts_before_a_word_only_and_swaps_stiff_words() -> None:
    text = "Yes, it is. I do not think we will commence prior to noon."
    casual = EDITOR.apply(text, "casual")
    assert casual.startswith("Yes, it is.")
    assert "don't" in casual and "start before noon" in casual
    assert check("casual", text, casual) == ""


def test_shorter_shortens_wordy_phrases_and_keeps_every_fact() -> None:
    text = (
        "Due to the fact that the hall was full on 3 May, we made a decision to move "
        "in order to seat 40 people."
    )
    shorter = EDITOR.apply(text, "shorter")
    assert shorter.startswith("Because the hall") and "decided to move to seat 40" in shorter
    assert "3 May" in shorter and check("shorter", text, shorter) == ""


def test_clearer_splits_an_over_long_sentence_at_a_clause() -> None:
    text = (
        "The committee met for three hours on a wet Tuesday afternoon in the old town hall, and "
        "they finally agreed that the library should stay open on Sundays during the whole summer."
    )
    clearer = EDITOR.apply(text, "clearer")
    assert clearer.count(". ") == 1 and "They finally agreed" in clearer
    assert check("clearer", text, clearer) == ""


def test_no_edit_touches_a_fact() -> None:
    text = "The stuff cost 3 million, and Anna's team can't pay it."
    formal = EDITOR.apply(text, "formal")
    assert "3 million" in formal and "Anna" in formal


def test_sentences_and_i_are_capitalised() -> None:
    assert capitalise("we met. i said yes! then i'm gone") == "We met. I said yes! Then I'm gone"
