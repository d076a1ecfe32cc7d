"""Wording that excludes or stereotypes: flagged with a reason and alternatives, never in
quotes or names, and the generic "he" by its shape."""

from __future__ import annotations

from pathlib import Path

from engine.fidelity.inclusive import check, load, parse


def flagged(text: str) -> list[str]:
    return [flag.text for flag in check(text, load())]


def test_listed_words_are_flagged_with_a_reason_and_alternatives() -> None:
    (flag,) = check("The chairman opened the meeting.", load())
    assert (flag.text, flag.kind) == ("chairman", "gendered")
    assert flag.alternatives[0] == "chair" and flag.reason
    assert flag.as_json()["applied"] is False and flag.as_json()["kind"] == "inclusive"
    both = flagged("We need more manpower, and the board turned a blind eye.")
    assert both == ["manpower", "turned a blind eye"]


def test_quotes_names_and_words_inside_words_are_left_alone() -> None:
    assert flagged('"We need more manpower," she said.') == []
    assert flagged("Chairman Mao is the subject of her book.") == []
    assert flagged("The Fireman's Arms is the oldest pub.") == []
    assert flagged("They lifted the manhole cover; she flamed the blame.") == []


def test_the_generic_he_is_flagged_and_a_man_is_not() -> None:
    assert flagged("Every employee must bring his badge.") == ["his"]
    assert check("Each student hands in his essay.", load())[0].alternatives[0] == "their"
    assert flagged("Every employee must bring his or her badge.") == []
    assert flagged("Tom said he would bring his laptop.") == []
    assert flagged("Every manager, even Peter Lund, lost his keys.") == []  # a man named between


def test_the_list_can_be_switched_off_and_extended(tmp_path: Path) -> None:
    off = parse("[settings]\nenabled = false\n")
    assert check("The chairman spoke.", off) == []
    own = tmp_path / "inclusive.toml"
    own.write_text(
        '[[term]]\nwords = ["guys"]\nkind = "gendered"\n'
        'reason = "A mixed group."\nalternatives = ["everyone"]\n',
        encoding="utf-8",
    )
    flags = check("Thanks, guys, and thanks to the chairman.", load(own))
    assert [f.text for f in flags] == ["guys", "chairman"]
