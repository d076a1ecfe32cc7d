"""The verdict: what a suggestion drops, moves, invents or repeats, and whether it answers."""

from __future__ import annotations

import pytest

from engine.fidelity.facts import extract
from engine.fidelity.verdict import clauses, judge, moved

BUDGET = "The council reserved 3 million for a school and 1.5 million for a library."
BRIDGE = "The bridge opened in 1923 and was closed by a storm in 1962."
MEMBERS = "Membership fell from 84,000 to 71,000 by 2019."


@pytest.mark.parametrize(
    ("source", "answer", "moved"),
    [
        (BUDGET, "The council reserved 1.5 million for a school and 3 million for a library.", ("3", "1.5")),
        (BRIDGE, "The bridge was built in 1923 and closed in 1962 by a storm, which was built in 1962.", ()),
        (BRIDGE, "Closed by a storm in 1923, the bridge opened in 1962.", ("1923", "1962")),
    ],
)
def test_a_fact_set_beside_the_wrong_thing_is_moved(source: str, answer: str, moved: tuple[str, ...]) -> None:
    verdict = judge(source, answer)
    assert set(moved) <= set(verdict.moved)
    if moved:
        assert not verdict.clean and any(p.startswith("moved: ") for p in verdict.problems())


@pytest.mark.parametrize(
    ("source", "answer", "moved"),
    [
        ("Elena climbed her first mountain at 12.", "Elena climbed 12.", ("12",)),
        ("Staff grew from 40 to 95.", "Him 40 staff grew to 95.", ("40",)),
        ("Rents rose by 9 percent in 2022.", "Rents rose 9% in 2022.", ()),
        ("She took a loan of 20,000 euros in 1998.", "In 1998 she took a 20,000-euro loan.", ()),
    ],
)
def test_a_number_losing_its_relation_word_is_moved(source: str, answer: str, moved: tuple[str, ...]) -> None:
    """ "at 12" is an age, "climbed 12" a count; "by 9%" and "9%" are the same rise."""
    assert judge(source, answer).moved == moved


@pytest.mark.parametrize(
    "answer",
    [
        "The council set aside 3 million for a new school and 1.5 million for a library.",
        "For a school the council reserved 3 million; for a library, 1.5 million.",
    ],
)
def test_facts_that_keep_their_roles_are_not_moved(answer: str) -> None:
    verdict = judge(BUDGET, answer)
    assert verdict.moved == () and verdict.clean, verdict


@pytest.mark.parametrize(
    "answer",
    [
        "Opened in 1923, the bridge was closed by a storm in 1962.",
        "In 1962, a storm closed the bridge, which had opened in 1923.",
    ],
)
def test_a_fact_in_front_of_its_clause_is_still_beside_it(answer: str) -> None:
    assert judge(BRIDGE, answer).moved == ()


def test_a_clause_of_a_fact_alone_joins_the_next() -> None:
    text = "In 1962, a storm closed it."
    assert [text[a:b] for a, b in clauses(text, {"1962"})] == ["In 1962, a storm closed it"]


def test_a_fact_written_more_often_than_the_source_writes_it_is_repeated() -> None:
    verdict = judge(MEMBERS, "Membership fell 2019 from 84,000 to 71,000 by 2019.")
    assert "2019" in verdict.repeated and not verdict.clean


def test_a_repeated_sentence_is_caught() -> None:
    answer = "The park will open soon. The park will open soon. The park will open soon."
    verdict = judge("The town plans a new park that will open soon.", answer, operation="summarize")
    assert verdict.repeated and not verdict.clean


def test_an_invented_figure_and_name_are_caught() -> None:
    verdict = judge(
        "The town plans a new park.",
        "The town plans a new park with a $1.2 million budget, said Mayor Jones.",
    )
    assert "1.2" in verdict.invented and "Mayor" in verdict.invented
    assert "adds: 1.2" in " ".join(verdict.problems())


def test_a_number_written_as_a_word_is_not_invented() -> None:
    verdict = judge("We hired 3 new teachers.", "Three new teachers were hired.")
    assert verdict.invented == ()


def test_talk_about_the_task_ending_in_a_fact_list_is_no_answer() -> None:
    answer = "The following text should be written in a formal tone:\n- 3 million\n- 1.5 million\n- school"
    verdict = judge(BUDGET, answer, style="formal")
    assert verdict.non_answer and not verdict.clean


def test_a_bare_list_of_the_facts_is_no_answer() -> None:
    verdict = judge(BUDGET, "3 million\n1.5 million\nschool, library")
    assert verdict.non_answer == "a list of the facts"


def test_the_wrong_language_is_named() -> None:
    verdict = judge("我们明天去北京开会，讨论新的预算。", "We will go to Beijing tomorrow for a meeting.")
    assert verdict.language == "in English, not Chinese"
    translated = judge(
        "We meet tomorrow.", "Nous nous retrouvons demain.", operation="translate", target_language="French"
    )
    assert translated.language == "" and translated.clean


@pytest.mark.parametrize(
    ("style", "answer", "applied"),
    [
        ("formal", "We're gonna finish the stuff by friday.", False),
        ("formal", "We are going to finish the work by Friday.", True),
        ("formal", "we are going to finish the work by Friday.", False),
        ("casual", "Furthermore, we shall commence on Friday.", False),
        ("casual", "Plus, we'll start on Friday.", True),
        ("shorter", "We are going to finish the work by Friday.", False),
        ("shorter", "We finish by Friday.", True),
        ("expand", "We are going to finish the work by Friday.", False),
    ],
)
def test_whether_a_style_was_applied(style: str, answer: str, applied: bool) -> None:
    source = "We are going to finish the work by Friday."
    verdict = judge(source, answer, style=style)
    assert (verdict.style == "") is applied, verdict.style


def test_the_verdict_is_plain_json() -> None:
    data = judge(
        BUDGET, "The council reserved 1.5 million for a school and 3 million for a library."
    ).as_json()
    assert data["clean"] is False and data["moved"] == ["3", "1.5"]


SALES = (
    "The company sold 12,000 bicycles in Germany and 7,500 in France last year. "
    "Sales in France rose by 15 percent, while sales in Germany stayed flat."
)


def test_a_place_written_twice_must_keep_both_roles() -> None:
    swapped = (
        "The company sold 12,000 bicycles in Germany and 7,500 in France last year. "
        "Sales in Germany rose by 15 percent, while sales in France remained flat."
    )
    assert {"Germany", "France"} <= set(judge(SALES, swapped).moved)
    kept = (
        "Last year the company sold 12,000 bicycles in Germany and 7,500 in France. "
        "French sales rose by 15 percent, while German sales stayed flat."
    )
    assert judge(SALES, kept).clean


def test_facts_of_one_clause_share_their_anchors_but_not_the_next_clauses() -> None:
    source = "Our team in Porto handles 300 support tickets a day, while the team in Leeds handles 180."
    assert (
        "300" in judge(source, "Our team in Leeds handles 300, and Porto handles 180 support tickets.").moved
    )
    assert judge(
        source, "Our Porto team handles 300 support tickets a day; the Leeds team handles 180."
    ).clean


def test_the_word_before_a_number_is_part_of_its_role() -> None:
    source = "The museum welcomed 52,000 visitors last year, up from 38,000 the year before."
    assert (
        "38,000"
        in judge(source, "The museum welcomed 52,000 visitors last year, up 38,000 from before.").moved
    )


def test_a_sum_written_with_its_currency_sign_keeps_its_unit() -> None:
    source = "The tour made a loss of 90,000 dollars, but the concerts at home sold out."
    facts = extract(source)
    assert moved(source, "The tour lost $90,000, but the concerts at home sold out.", facts) == []
    assert moved(source, "The tour made a loss of $90,000, but the concerts at home sold out.", facts) == []


def test_a_description_the_writer_never_gave_a_name_is_flagged() -> None:
    sister = "Her sister Kate, who is 3 years younger, sails."
    source = "Then Elena Marsh climbed her first mountain at 12. " + sister
    facts = extract(source)
    described = "Then Elena Marsh, a mountain climber, climbed her first mountain at 12. " + sister
    assert "Marsh" in moved(source, described, facts)
    assert moved(source, source, facts) == []
    # an appositive the source has is the writer's own
    own = "Its founder, Anna Berg, the owner, smiled in 2019."
    assert moved(own, own, extract(own)) == []


def test_a_verb_that_takes_the_number_itself_keeps_its_role() -> None:
    """ "pay for 3 wells" → "fund 3 wells": a synonym verb absorbs the "for"; the same verb
    without it ("pay 3") says something else."""
    source = "Most of the money will pay for 3 new wells in Malawi."
    facts = extract(source)
    assert moved(source, "Most of the money will fund 3 new wells in Malawi.", facts) == []
    assert moved(source, "Most of the money will pay 3 new wells in Malawi.", facts) == ["3"]


def test_after_as_a_verbs_particle_stays_in_its_clause() -> None:
    source = "The first class looks after 8 of them and grows beans, and the pupils look after the other 16."
    facts = extract(source)
    tended = "The first class tends 8 of them and grows beans, and the pupils tend the other 16."
    assert moved(source, tended, facts) == []
    swapped = "The first class tends 16 of them and grows beans, and the pupils tend the other 8."
    assert set(moved(source, swapped, facts)) == {"8", "16"}


def test_a_month_that_loses_its_in_is_moved() -> None:
    source = "The river flooded twice in 2007, in July and again in November."
    facts = extract(source)
    assert set(moved(source, "The river flooded twice in 2007, July and November.", facts)) == {
        "July",
        "November",
    }
    assert moved(source, "The river flooded twice in 2007, in July and in November.", facts) == []


def test_a_date_is_anchored_by_what_its_own_clause_says() -> None:
    """ "the school starts in April": "school" also anchors the amount, so a rewrite that
    sets April beside the amount ("3 million for a school in April") has moved it."""
    source = "The council reserved 3 million for a school. Work on the school starts in April."
    facts = extract(source)
    assert moved(source, "The council is reserving 3 million for a school in April.", facts) == ["April"]
    assert (
        moved(source, "The council set aside 3 million for a school, where work starts in April.", facts)
        == []
    )


def test_a_relation_word_the_answer_adds_or_loses_ties_a_number_anew() -> None:
    source = "Of the 2,300 patients enrolled, 61 percent finished. It was translated into 12 languages."
    garbled = "The 2,300 patients who enrolled in 61 percent finished. It sold in 12 languages."
    assert set(judge(source, garbled).moved) == {"61", "12"}
    assert judge(
        source, "Of 2,300 patients enrolled, about 61% finished. It was translated into 12 languages."
    ).clean


def test_a_place_keeps_the_word_it_is_said_of() -> None:
    """ "the road to Kelso was closed" is not "Kelso was closed"; "moved its office to
    Basel" is "moved to Basel"; "the library in Tartu" is "Tartu's library"."""
    kelso = "Last winter the road to Kelso was closed for 3 days."
    assert judge(kelso, "Last winter Kelso was closed for 3 days.").moved == ("Kelso",)
    oslo = "The startup raised 2 million dollars from investors in Oslo."
    assert judge(oslo, "The startup raised 2 million dollars in Oslo.").moved == ("Oslo",)
    assert judge(oslo, "From investors in Oslo the startup raised $2 million.").moved == ()
    assert judge("The firm moved its office to Basel.", "The firm moved to Basel.").moved == ()
    assert judge("The library in Tartu lent 65,000 books.", "Tartu's library lent 65,000 books.").moved == ()


def test_a_number_keeps_the_word_that_led_it_and_a_name_the_noun_it_renames() -> None:
    source = "The startup raised 2 million dollars from investors. Their striker, Ana Ruiz, scored 14 goals."
    assert set(
        judge(source, "To be honest, 2 million dollars from investors. Ana Ruiz scored 14 goals.").moved
    ) == {
        "2",
        "Ana",
    }
    assert judge(
        source, "The startup raised $2 million from investors. Their striker, Ana Ruiz, scored 14."
    ).clean
    keeper = "Its last keeper, Patrick Flynn, stayed on the island and ran a museum there until 2004."
    assert "2004" in judge(keeper, "Its last keeper, Patrick Flynn, remained on the island until 2004.").moved


def test_compared_to_is_compared_with() -> None:
    source = "Our team closed 85 tickets last week, compared with 64 the week before."
    assert judge(source, "The team closed 85 tickets last week, compared to 64 the week before.").moved == ()
    assert judge(source, "The team closed 85 tickets last week, up to 64 the week before.").moved == ("64",)


def test_a_greeting_changed_keeps_the_name_it_greets() -> None:
    """Formal turns "hi Nadia" into "Hello Nadia": the name stays where it was."""
    note = "hi Nadia, the courier lost parcel 7 again, so I ordered a new one from Utrecht."
    assert not judge(note, note.replace("hi Nadia", "Hello Nadia"), style="formal").moved
    assert not judge(note, note.replace("hi Nadia", "Dear Nadia"), style="formal").moved
    assert judge(note, note.replace("parcel 7", "parcel 9"), style="formal").invented == ("9",)


def test_the_writers_own_text_is_never_flagged() -> None:
    """No verdict may fault the source given back as it is ("8 pm on Thursdays" once held
    Thursdays to "pm", a word no clause can count)."""
    for source in (
        "In 2025 the library lent 48,000 books, 9 percent more than in 2024. The branch in "
        "Kendal was the busiest, and the librarian, Peter Grant, plans to extend its opening "
        "hours to 8 pm on Thursdays.",
        "hi Nadia, the courier lost parcel 7 again, so I ordered a new one from the shop in Utrecht.",
    ):
        assert judge(source, source).clean, source


def test_one_preposition_said_for_two_alike_figures_is_no_move() -> None:
    """ "opens at 8 on weekdays and 10 on Sundays": the first "at" serves both numbers;
    another relation word for the second is still a move."""
    source = "Our shop opens at 8 on weekdays and at 10 on Sundays."
    facts = extract(source)
    assert moved(source, source.replace("and at 10", "and 10"), facts) == []
    assert moved(source, source.replace("and at 10", "and from 10"), facts) == ["10"]


RANGE = (
    "The given end point is never part of the generated sequence; `range(10)` generates 10 "
    "values, the legal indices for items of a sequence of length 10. It is possible to let the "
    "range start at another number, or to specify a different increment (even negative)."
)


def test_a_sentence_the_rewrite_no_longer_says_is_left_out() -> None:
    """A free "shorter" rewrite of Python's docs kept the number 10 and cut the second
    sentence; cutting its modifiers is not leaving it out."""
    cut = (
        "The given end point is never part of the generated sequence. "
        "The sequence is defined by the legal indices of length 10."
    )
    verdict = judge(RANGE, cut, style="shorter")
    assert verdict.dropped == ("It is possible to let…",)
    assert not verdict.clean
    assert "leaves out: It is possible to let…" in verdict.problems()
    trimmed = RANGE.replace("given ", "").replace(" (even negative)", "").replace("different ", "")
    assert judge(RANGE, trimmed, style="shorter").dropped == ()


def test_words_of_the_style_lists_are_not_counted_as_left_out() -> None:
    """Formal swaps slang for its standard words: that sentence still says the same."""
    note = "The parcel for Utrecht is late again. Yeah, gonna grab some stuff from the shop tomorrow."
    formal = "The parcel for Utrecht is late again. Yes, I am going to get some items from the shop tomorrow."
    assert judge(note, formal, style="formal").dropped == ()


def test_code_is_a_fact_that_must_be_kept_and_may_not_be_invented() -> None:
    """`range(10)` is what the 10 counts: an answer without it drops it, and a call the
    source never wrote is added."""
    verdict = judge(RANGE, RANGE.replace("`range(10)` generates", "it generates"), style="clearer")
    assert verdict.missing == ("range(10)",)
    assert judge(RANGE, RANGE + " Write range(start, end, step).", style="expand").invented == (
        "range(start, end, step)",
    )


CAT = (
    "The same way as you get the name of that cat you found on your porch: the cat itself cannot "
    "tell you its name, and it doesn't really care, so the only way to find out what it's called "
    "is to ask all your neighbours if it's their cat."
)


def test_a_sentence_the_writer_never_said_is_not_in_the_text() -> None:
    """A free "shorter" rewrite opened with a claim of its own; cutting words says nothing new."""
    made_up = "The cat's name is clearly visible on its face, but it's not really a cat. Ask your neighbours."
    verdict = judge(CAT, made_up, style="shorter")
    assert verdict.unsupported == ("The cat's name is clearly…",)
    assert not verdict.clean
    cut = CAT.replace("really ", "").replace(" that cat you found on your porch", " a cat")
    assert judge(CAT, cut, style="shorter").unsupported == ()
    assert judge(CAT, CAT + " " + made_up, style="expand").unsupported == ()  # Expand adds by design


def test_a_rewrite_that_stops_mid_sentence_is_no_answer() -> None:
    """A rewrite that ran out of room ("…per-process, per-") is never offered as finished."""
    source = "Note the kinds of state: per-process, per-thread or per-task. This guide does not cover them."
    cut = "Note the kinds of state: per-process, per-thread or per-task. This guide does not cover per-"
    assert judge(source, cut, style="shorter").non_answer == "stops mid-sentence"
    assert judge(source, source.replace("Note the", "Note these"), style="shorter").non_answer == ""
