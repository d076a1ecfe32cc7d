"""Choosing among rewrite candidates: real answers first, then the fewest lost facts."""

from __future__ import annotations

import threading

from engine.fidelity.facts import extract
from engine.fidelity.rewriting import align, choose, piecewise, sentences, without_commentary
from engine.generation.decoding import StopReason
from engine.generation.loops import Generation

SOURCE = "Anna sold 40 cakes in Leeds. Ben sold 12."


def answer(text: str) -> Generation:
    return Generation(text, text, (1, 2, 3), StopReason.EOS, None, None)


def test_the_greedy_answer_stays_when_it_keeps_every_fact() -> None:
    asked: list[int] = []
    first = answer("In Leeds, Anna sold 40 cakes, and Ben sold 12.")
    chosen = choose(
        SOURCE,
        first,
        extract(SOURCE),
        lambda seed: asked.append(seed) or first,
        threading.Event(),
        min_share=0.45,
    )
    assert chosen.generation is first and chosen.tried == 1 and asked == []


def test_a_candidate_that_keeps_more_facts_wins_and_what_is_lost_is_named() -> None:
    candidates = {
        1: answer("Anna sold 40 cakes in Leeds, and Ben sold a few."),
        2: answer("I'm sorry, I cannot."),
    }
    first = answer("Anna sold cakes in Leeds, and Ben sold some too.")
    chosen = choose(SOURCE, first, extract(SOURCE), candidates.__getitem__, threading.Event(), min_share=0.45)
    assert chosen.generation is candidates[1]
    assert [fact.text for fact in chosen.missing] == ["12"] and chosen.problem is None and chosen.tried == 3


def test_sentence_by_sentence_keeps_a_sentence_whose_rewrite_loses_a_fact() -> None:
    rewrites = {
        "Anna sold 40 cakes in Leeds.": "In Leeds, Anna sold 40 cakes.",
        "Ben sold 12.": "Ben sold some.",
    }
    result = piecewise(
        SOURCE,
        extract,
        lambda sentence, facts, attempt: answer(rewrites[sentence]),
        threading.Event(),
        min_share=0.45,
    )
    assert result.text == "In Leeds, Anna sold 40 cakes. Ben sold 12."


def test_the_text_as_written_beats_a_rewrite_that_drops_facts() -> None:
    first = answer("Anna sold cakes.")
    chosen = choose(
        SOURCE,
        first,
        extract(SOURCE),
        lambda seed: answer("Anna sold cakes in Leeds."),
        threading.Event(),
        min_share=0.2,
        by_sentence=lambda draft: answer(SOURCE),
    )
    # Losing facts is worse than changing nothing: the writer's text stays, said to be unchanged.
    assert chosen.generation.text == SOURCE and chosen.problem == "unchanged" and chosen.missing == []


def test_a_rewrite_that_loses_a_fact_beats_one_that_loses_more() -> None:
    chosen = choose(
        SOURCE,
        answer("Anna sold cakes."),
        extract(SOURCE),
        lambda seed: answer("Anna sold 40 cakes. Ben sold some."),
        threading.Event(),
        min_share=0.2,
    )
    assert chosen.generation.text == "Anna sold 40 cakes. Ben sold some."
    assert sorted(fact.text for fact in chosen.missing) == ["12", "Leeds"]


def test_sentences_give_the_text_back() -> None:
    text = 'She said "yes." Then   she left!\nA list:\n- one'
    pairs = sentences(text)
    assert "".join(gap + sentence for gap, sentence in pairs) == text
    assert [sentence for _gap, sentence in pairs][:2] == ['She said "yes."', "Then   she left!"]


def test_a_whole_rewrite_lends_its_sentences_that_keep_their_facts() -> None:
    """The best whole answer lost "12" in its second sentence: its first sentence is kept,
    the second is asked for again, and the model is not asked about the first at all."""
    asked: list[str] = []
    result = piecewise(
        SOURCE,
        extract,
        lambda sentence, facts, attempt: asked.append(sentence) or answer("Ben sold some."),
        threading.Event(),
        min_share=0.45,
        draft="In Leeds, Anna sold 40 cakes. Ben sold a few.",
    )
    assert result.text == "In Leeds, Anna sold 40 cakes. Ben sold 12."
    assert asked == ["Ben sold 12.", "Ben sold 12.", "Ben sold 12."]


def test_sentences_are_paired_only_with_their_closest_match() -> None:
    originals = ["Anna sold 40 cakes in Leeds.", "Ben sold 12 pies in York.", "It rained."]
    drafts = ["In York, Ben sold 12 pies.", "Anna and Ben sold 40 cakes and 12 pies in Leeds and York."]
    pairs = align(originals, drafts)
    assert pairs == {1: "In York, Ben sold 12 pies."}  # the merged sentence says what two originals say
    assert align(originals, []) == {}


def test_commentary_after_the_answer_is_not_offered() -> None:
    source = "The meeting was postponed because a lot of the team were sick."
    text = (
        "- The meeting was postponed.\n- A lot of the team were sick.\n\n"
        "This bulleted list provides a clear summary of the text."
    )
    trimmed = without_commentary(source, answer(text))
    assert trimmed.text == "- The meeting was postponed.\n- A lot of the team were sick."
    two = "First paragraph of mine.\n\nSecond one, about the text."  # the writer's own second paragraph
    assert without_commentary(two, answer(two + " Yes.")).text == two + " Yes."
    assert without_commentary(source, answer("Only commentary about the text.")).text.startswith("Only")


def test_a_sentence_cut_off_by_the_budget_ends_at_its_last_comma() -> None:
    from engine.fidelity.rewriting import closed_clause

    cut = "\n\nThe team leader said the meeting moves to the next day, but they also said that"
    assert closed_clause(cut) == "The team leader said the meeting moves to the next day."
    assert closed_clause("Too short, to keep") == ""
