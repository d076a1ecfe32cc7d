"""The meaning benchmark's own measure: every hand-labelled relation holds in its source,
and a swap breaks it, so the benchmark can fail."""

from __future__ import annotations

import tomllib

from benchmarks.meaning import DATA, additions, relation_kept


def test_every_labelled_relation_holds_in_its_own_source() -> None:
    data = tomllib.loads(DATA.read_text(encoding="utf-8"))
    assert len(data["paragraph"]) >= 20 and len(data["report"]) >= 8
    for paragraph in data["paragraph"]:
        facts = [fact for fact, _ in paragraph["roles"]]
        for fact, anchor in paragraph["roles"]:
            assert relation_kept(fact, anchor, paragraph["text"], facts), (fact, anchor)
    for report in data["report"]:
        assert 150 <= len(report["text"].split()) <= 1000
    assert {p["split"] for p in data["paragraph"]} == {"dev", "heldout", "fresh", "fresh2"}


def test_a_swapped_amount_breaks_its_relation() -> None:
    swapped = "The council reserved 1.5 million for a new school and 3 million for a library."
    assert not relation_kept("3", "school", swapped, ["3", "1.5"])
    assert relation_kept("3", "library", swapped, ["3", "1.5"])


def test_additions_are_numbers_and_names_the_source_lacks() -> None:
    assert additions("The park opens in May.", "The park, said Mayor Jones, opens in May 2024.") == [
        "2024",
        "Mayor",
        "Jones",
    ]


def test_the_verdict_never_faults_a_benchmark_text_given_back_as_written() -> None:
    """The writer's own text is the fallback of every rewrite; a verdict that faults it
    would flag a suggestion that changed nothing (it once held "Thursdays" to "pm")."""
    from benchmarks.fidelity import load_texts
    from engine.fidelity.verdict import judge

    data = tomllib.loads(DATA.read_text(encoding="utf-8"))
    texts = [t["text"] for t in load_texts()] + [p["text"] for p in data["paragraph"] + data["report"]]
    assert len(texts) >= 80
    faulted = [text[:60] for text in texts if not judge(text, text).clean]
    assert faulted == []
