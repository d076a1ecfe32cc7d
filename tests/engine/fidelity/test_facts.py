"""Facts a rewrite must keep: found in the source, looked for in the answer."""

from __future__ import annotations

from engine.fidelity.facts import Fact, describe, extract, keep_line, missing, spellings
from engine.fidelity.spelling import Dictionary

REPORT = (
    "In the third quarter the company sold 450 of the 900 units it had planned, and revenue fell by "
    "12 percent to 3.4 million euros. Marco and Elena will present a new plan to the board in Milan "
    "on June 3."
)


def test_numbers_dates_and_names_are_found() -> None:
    facts = [fact.text for fact in extract(REPORT, Dictionary("en"))]
    assert facts == ["450", "900", "12", "3.4", "3", "million", "Marco", "Elena", "Milan", "June"]


def test_a_capital_at_a_sentence_start_is_not_a_name_unless_unknown() -> None:
    dictionary = Dictionary("en")
    assert [f.text for f in extract("The team met. Every one came.", dictionary)] == []
    assert [f.text for f in extract("Marco came. He left.", dictionary)] == ["Marco"]
    assert [f.text for f in extract('"Are you there?" asked Lucy.', dictionary)] == ["Lucy"]


def test_missing_facts_are_reported_in_order() -> None:
    facts = extract(REPORT, Dictionary("en"))
    answer = (
        "The company sold 450 of 900 units; revenue fell 12% to 3.4 million euros. "
        "Marco presents in Milan on June 3."
    )
    assert [f.text for f in missing(facts, answer)] == ["Elena"]
    assert describe(missing(facts, "Nothing.")) == "450, 900, 12, 3.4 and 6 more"


def test_numbers_match_with_or_without_separators_and_not_inside_others() -> None:
    facts = extract("It cost 2,350 euros and took 3 days.")
    assert missing(facts, "It cost 2350 euros and took 3 days.") == []
    assert [f.text for f in missing(facts, "It cost 2,350 euros and took 13 days.")] == ["3"]
    assert [f.text for f in missing(facts, "It cost 2,350.5 euros and took 3 days.")] == ["2,350"]
    # "3rd" or "3km" is not the number the writer wrote: checked literally, as the benchmark does
    assert [f.text for f in missing(facts, "It cost 2,350 euros and took 3rd place.")] == ["3"]


def test_a_fact_is_favoured_in_the_spellings_an_answer_may_use() -> None:
    assert spellings(Fact("Elena", "name")) == [" Elena", "Elena"]
    assert spellings(Fact("2,350", "number")) == [" 2,350", "2,350", " 2350"]


def test_the_prompt_line_lists_the_facts() -> None:
    assert (
        keep_line(extract("Anna paid 40 euros.", Dictionary("en")))
        == " Keep these exactly as written: 40, Anna."
    )
    assert keep_line(extract("Anna paid 40 euros.")) == " Keep these exactly as written: 40."  # no dictionary
    assert keep_line([]) == ""


def test_code_a_technical_text_names_is_a_fact() -> None:
    text = "The `init_pair(n, f, b)` function sets pair n; range(10) gives 10 values; max_tokens caps them."
    code = [fact.text for fact in extract(text) if fact.kind == "code"]
    assert code == ["init_pair(n, f, b)", "range(10)", "max_tokens"]
    assert missing(extract(text), text) == []
