"""The Ask benchmark's data: every labelled answer stands in the paragraph it names, as
the panel counts paragraphs, and the halves are balanced."""

from __future__ import annotations

import tomllib

from benchmarks.ask import DATA, invented, long_document
from engine.asking.paragraphs import split


def test_every_labelled_answer_is_in_its_paragraph() -> None:
    data = tomllib.loads(DATA.read_text(encoding="utf-8"))
    assert len(data["document"]) == 5
    questions = [q for d in data["document"] for q in d["question"]]
    assert len(questions) == 30
    for document in data["document"]:
        paragraphs = {p.number: p.text for p in split(document["text"])}
        for question in document["question"]:
            if "paragraph" in question:
                assert question["answer"] in paragraphs[question["paragraph"]], question
    for half in ("dev", "heldout"):
        mine = [q for q in questions if q["split"] == half]
        assert len(mine) == 15 and sum("paragraph" not in q for q in mine) == 5


def test_the_invented_check_catches_a_figure_and_a_name() -> None:
    assert invented("The trip costs 285 euros.", "The trip costs 285 euros.") == []
    assert invented("The trip costs 285 euros.", "The trip costs 300 euros, says Anna.") == ["300", "Anna"]


def test_the_long_document_has_five_thousand_words() -> None:
    data = tomllib.loads(DATA.read_text(encoding="utf-8"))
    assert len(long_document([d["text"] for d in data["document"]]).split()) >= 5000
