"""Styles as edits from the word lists (here without a model: the first proposal of each
list is taken, as a server backend does; tests/engine/fidelity/test_meaning.py runs the
model's judgement)."""

from __future__ import annotations

from engine.fidelity.style_check import check, formal_problems
from engine.fidelity.style_edits import StyleEditor, _conjunction_or, _splice, capitalise

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
    # a percentage is written as a figure, always: notation, not wording for the model to price
    assert EDITOR.apply("Sales rose 15 percent in May.", "shorter") == "Sales rose 15% in May."
    assert EDITOR.apply("Sales rose 15 percent in May.", "formal") == "Sales rose 15 percent in May."


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


def _proposals(text: str) -> set[str]:
    """The text after each of Shorter's proposals alone (before the model prices them)."""
    return {text[:start] + replacement + text[end:] for start, end, replacement in EDITOR._cuts(text)}


def test_shorter_proposes_sums_times_and_participles_written_shorter() -> None:
    text = "The tour made a loss of 90,000 dollars, and the ferry leaves at 7 in the morning."
    proposed = _proposals(text)
    assert "The tour made a $90,000 loss, and the ferry leaves at 7 in the morning." in proposed
    assert "The tour lost 90,000 dollars, and the ferry leaves at 7 in the morning." in proposed
    assert "The tour made a loss of 90,000 dollars, and the ferry leaves at 7 am." in proposed
    shop = "It opened a shop in Lund, which now employs 14 people"
    proposed = _proposals(f"{shop}, after repairs that cost 8 million pounds.")
    assert "It opened a shop in Lund, employing 14 people, after repairs that cost 8 million pounds." in (
        proposed
    )
    assert f"{shop}, after repairs costing 8 million pounds." in proposed
    assert f"{shop}, after repairs that cost £8 million." in proposed


def test_pounds_of_weight_stay_pounds_and_an_8_takes_an() -> None:
    assert not any("£" in p for p in _proposals("The parcel weighs 40 pounds and cost 12 dollars."))
    assert "They took an €8 million loan." in _proposals("They took a loan of 8 million euros.")


def test_a_second_clause_that_repeats_the_first_says_only_what_differs() -> None:
    text = "In winter there are 4 crossings a day, and in summer there are 9."
    assert "In winter there are 4 crossings a day; in summer, 9." in _proposals(text)
    # nothing repeated before the number: nothing to leave out
    assert not any(", 9" in p for p in _proposals("In winter there are 4 crossings, and buses run 9."))


def test_the_x_of_the_y_becomes_the_ys_x() -> None:
    proposed = _proposals("They add 2 routes in the north of the city in August.")
    assert "They add 2 routes in the city's north in August." in proposed
    assert "She reached Denali's top in 2018." in _proposals("She reached the top of Denali in 2018.")


def _deleted(text: str) -> set[str]:
    return {" ".join(p.replace(" ,", ",").split()) for p in _proposals(text)}


def test_shorter_proposes_roles_places_and_articles_it_can_do_without() -> None:
    assert "Jonas became director in 2020." in _deleted("Jonas became its director in 2020.")
    assert "Tartu's library lent 65,000 books." in _proposals("The library in Tartu lent 65,000 books.")
    text = "Under him the staff grew to 95, and most of the money went to the concerts."
    assert "Under him staff grew to 95, and most of the money went to the concerts." in _deleted(text)
    assert not any("of money" in p for p in _deleted(text))  # "most of the money" keeps its article
    sister = "Her sister Kate, 3 years younger, prefers to sail and crossed the Atlantic in 2021."
    assert "Her sister Kate, 3 years younger, crossed the Atlantic in 2021." in _deleted(sister)


def test_a_phrase_a_verb_needs_is_never_cut() -> None:
    text = "The work will cost 650,000 pounds, paid from the sports budget."
    assert not any(p.rstrip(".").endswith("paid") for p in _deleted(text))
    assert "A flat costs 1,100 euros." in _deleted("A flat costs 1,100 euros in the old town.")


def test_an_article_goes_only_before_a_subject_and_its_verb() -> None:
    assert not any(
        "paid from sports" in p for p in _deleted("It will cost 650,000 pounds, paid from the sports budget.")
    )
    assert "concerts at home sold out." in _deleted("The concerts at home sold out.")  # capitalised after


def test_no_wordy_phrase_is_cut_into_broken_grammar() -> None:
    """ "refers to the fact that" has no shorter form that keeps the preposition's object."""
    text = "Representation error refers to the fact that some decimal fractions cannot be represented."
    for style in ("clearer", "shorter"):
        assert "refers to that" not in EDITOR.apply(text, style)


def test_shorter_proposes_asides_of_them_and_a_second_to_it_can_do_without() -> None:
    text = "The club ran 12 races last summer, most of them on the coast."
    assert "The club ran 12 races last summer." in _deleted(text)
    assert "Of the 40 boats, 31 finished." in _deleted("Of the 40 boats, 31 of them finished.")
    plans = "The bakery plans to hire 6 bakers and to open a stall in Leeds."
    assert "The bakery plans to hire 6 bakers and open a stall in Leeds." in _deleted(plans)
    # "and to" before a place or a person, or with no "to" + verb before it, stays
    assert not any("and the" in p for p in _deleted("She went to sing and to the market."))
    assert not any("and open" in p for p in _deleted("They hired 6 bakers and to open is next."))
    roof = "The hall shuts in May for repairs to its roof."
    assert "The hall shuts in May for roof repairs." in _deleted(roof)


def test_shorter_puts_a_named_place_or_a_measure_before_its_noun() -> None:
    assert "He worked nights at a Vienna hotel." in _proposals("He worked nights at a hotel in Vienna.")
    assert "It raised $2 million from Oslo investors." in _proposals(
        "It raised $2 million from investors in Oslo."
    )
    assert "It will open a Berlin office." in _proposals("It will open an office in Berlin.")
    assert "An Aarhus farmer opened it." in _proposals("A farmer from Aarhus opened it.")
    assert "They won the Porto competition." in _proposals("They won the regional competition in Porto.")
    assert "The Kelso road was closed." in _proposals("The road to Kelso was closed.")
    # a month is no place, a verb takes no place before it, "to" is a route's only
    assert not any("April" in p.split()[0:3] for p in _proposals("The museum in April reopened."))
    assert _proposals("She lived in Paris.") == set()
    assert not any("Rome" in p.split()[2:3] for p in _proposals("He sent a letter to Rome."))
    measured = _proposals("It reopened after a renovation that took 3 years.")
    assert "It reopened after a 3-year renovation." in measured
    assert "The route uses an 18-seat plane." in _proposals("The route uses a plane with 18 seats.")


def test_a_preposition_is_said_once_for_alike_phrases() -> None:
    shop = "The shop opens at 8 on weekdays and at 10 on Sundays."
    assert "The shop opens at 8 on weekdays and 10 on Sundays." in _deleted(shop)
    assert "She lived in Lund and Oslo." in _deleted("She lived in Lund and in Oslo.")
    stayed = "He stayed on the island and ran a museum there until 2004."
    assert "He stayed on the island and ran a museum until 2004." in _deleted(stayed)
    assert not any("museum until" in p for p in _deleted("He ran a museum there until 2004."))


def test_so_that_joins_a_cause_is_no_filler() -> None:
    guard = _conjunction_or(lambda _text, _start, _end: False)
    text = "Sales double in December, so the owners hire 2 extra bakers."
    assert guard(text, text.index("so "), text.index("so ") + 2)
    opener = "So, the owners hire 2 extra bakers. It was so good."
    assert not guard(opener, 0, 2) and not guard(opener, opener.index("so "), opener.index("so ") + 2)


def test_a_closing_purpose_may_go_but_never_an_infinitive_a_verb_needs() -> None:
    text = "6 extra crossings were added on Saturdays to meet demand."
    assert "6 extra crossings were added on Saturdays." in _deleted(text)
    assert "6 crossings were added on Saturdays to meet demand." in _deleted(text)  # after a figure too
    assert not any("of 28 won" in p for p in _deleted("Her class of 28 pupils won the cup."))
    for needed in ("It plans to hire 15 engineers.", "He was able to open it.", "They need to go home."):
        assert not any(p.count(" ") < needed.count(" ") - 1 for p in _deleted(needed)), needed


def test_a_cut_before_a_noun_makes_its_article_fit_the_next_word() -> None:
    """ "specify a different increment" → "specify an increment"; an article that did not
    fit the cut word by spelling ("a unique") is the writer's and stays."""

    def cut(text: str, word: str) -> str:
        start = text.index(word)
        return _splice(text, start, start + len(word), "")[0]

    assert cut("to specify a different\nincrement", "different") == "to specify an\nincrement"
    assert cut("An old car", "old") == "A car"
    assert cut("a unique university", "unique") == "a university"


def test_words_that_say_which_thing_are_not_cut_as_modifiers() -> None:
    """ "the average wait" is not "the wait"; "each bit representing" has no modifier; "most
    commonly available" keeps its adverb. A describing word still goes."""
    text = (
        "The average wait fell. Each bit representing a flag is set. Use the most commonly "
        "available ones. It was a lovely evening."
    )
    cuts = {text[start:end] for start, end, _ in EDITOR._cuts(text)}
    assert "average" not in cuts and "bit" not in cuts and "commonly" not in cuts
    assert "lovely" in cuts
    contrast = "Discard the old output and write the new output. The walking club met; the club grew."
    cuts = {contrast[start:end] for start, end, _ in EDITOR._cuts(contrast)}
    assert "old" not in cuts and "new" not in cuts  # they tell two outputs apart
    assert "walking" in cuts  # "the club" is the same club


def test_formal_writes_chat_abbreviations_out_before_proofreading() -> None:
    """Proofread took "tmrw" for a typo of "term"; an abbreviation the dictionary does not
    know, with one meaning, is written out first. A real word ("cool", "ok") is left to
    the judged edits."""
    from engine.fidelity.spelling import Dictionary

    typo = lambda text: text.replace("tmrw", "term")  # noqa: E731 - what proofreading did
    editor = StyleEditor(None, proofread=typo, dictionary=Dictionary("en"))
    formal = editor.apply("see u tmrw, pls bring the ppl list", "formal")
    assert formal.startswith("See u tomorrow, please bring") and "people list" in formal
