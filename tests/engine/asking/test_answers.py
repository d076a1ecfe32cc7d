"""Asking a draft: paragraphs as the writer counts them, answers quoted with their source,
and "nothing about that" where the document holds no answer."""

from __future__ import annotations

from engine.asking.answers import NOT_FOUND, answer, cited, pieces
from engine.asking.job import written
from engine.asking.paragraphs import split

DRAFT = (
    (
        "# Library plan\n\nThe council reserved 3 million for a new school and 1.5 million for a library "
        "in the east district. Work on the school starts in April, and the library follows in September.\n\n"
    )
    + """## People
Maria Costa leads the project. She has run the town museum since 2004.

The walking club counts 905 members, most of them under 40.
"""
)


def test_paragraphs_are_numbered_as_the_writer_sees_them_with_their_offsets() -> None:
    paragraphs = split(DRAFT)
    assert [p.number for p in paragraphs] == [1, 2, 3, 4, 5]
    assert paragraphs[2].text == "## People"  # a heading on the line above its text stands alone
    assert paragraphs[3].text.startswith("Maria Costa") and paragraphs[3].heading == "People"
    for p in paragraphs:
        assert DRAFT[p.start : p.end] == p.text


def test_the_answer_is_the_sentence_that_says_it_with_its_paragraph() -> None:
    found = answer(DRAFT, "When does work on the school begin?")  # "begin" for "starts"
    assert found.found and "April" in found.text
    (source,) = found.sources
    assert source.paragraph == 2
    assert DRAFT[source.start : source.end] == found.text
    who = answer(DRAFT, "Who leads the project?")
    assert who.text == "Maria Costa leads the project." and who.sources[0].paragraph == 4
    assert "905" in answer(DRAFT, "How many members does the walking club have?").text


def test_a_question_the_document_cannot_answer_is_said_so() -> None:
    for question in ("What is the marketing budget?", "When will the museum close?", "Who is the mayor?"):
        nothing = answer(DRAFT, question)
        assert not nothing.found and nothing.text == NOT_FOUND and nothing.sources == (), question


def test_the_kind_of_answer_must_be_given() -> None:
    """ "When…" wants a date: a sentence about the club that names no time is no answer."""
    assert not answer(
        "The club is popular with walkers.\n\nIt meets in the hall.", "When does the club meet?"
    ).found


def test_citations_carry_paragraph_numbers_and_offsets() -> None:
    start = DRAFT.index("The walking club")
    assert cited(DRAFT, [(start, start + 10)]) == [{"paragraph": 5, "start": start, "end": start + 10}]
    assert "".join(pieces("Work starts  in April.")) == "Work starts  in April."


def test_a_written_answer_is_kept_only_when_every_sentence_is_supported() -> None:
    given = split(DRAFT)[1:2]
    kept = written(DRAFT, "Work on the school starts in April [2].", given)
    assert kept is not None
    text, sentences = kept
    assert text == "Work on the school starts in April."
    assert all(DRAFT[a:b] for s in sentences for a, b in s.sources)
    assert written(DRAFT, "Work starts in April 2026 [2].", given) is None  # an invented year
    assert written(DRAFT, "The school has a famous swimming pool and a cinema.", given) is None
    assert written(DRAFT, NOT_FOUND, given) is None


def test_asking_runs_on_the_engine_thread_with_the_real_model(bundled_engine) -> None:
    """The bundled model's engine answers by quoting: the stream is the sentence, the
    result carries its source span and a clean verdict; Stop ends it within a piece."""
    from engine.jobs import Request
    from tests.conftest import collect, run_async

    deltas, result = run_async(
        collect(bundled_engine, Request("ask", DRAFT, instruction="Who leads the project?"))
    )
    assert "".join(deltas) == result.text == "Maria Costa leads the project."
    ((start, end),) = result.sources[0].sources
    assert DRAFT[start:end] == result.text
    assert result.verdict.clean


def test_stop_ends_an_answer_within_one_piece() -> None:
    import threading
    import time

    from engine.asking import job
    from engine.jobs import Request

    cancel = threading.Event()
    shown: list[str] = []

    def emit(piece: str) -> None:
        shown.append(piece)
        cancel.set()  # the writer presses Stop as the first word arrives

    request = Request("ask", DRAFT, instruction="When does work on the school start?")
    stopped = job.run(request, emit, cancel, time.perf_counter(), None)
    assert stopped.cancelled and shown == ["Work "] and stopped.text == "Work "
    assert stopped.sources == ()  # a cut answer cites nothing


def test_a_follow_up_that_refers_back_is_read_with_the_previous_question() -> None:
    draft = (
        "The library opens in September.\n\n"
        "Work on the north quay started in May 2024 and should finish in October 2025.\n\n"
        "The ferry company expects to finish its new timetable in June."
    )
    before = "When did work on the north quay start?"
    follow_up = answer(draft, "And when does it finish?", previous=before)
    assert follow_up.found and "October 2025" in follow_up.text
    alone = answer(draft, "When does the timetable finish?", previous=before)
    assert "June" in alone.text  # no reference back: the previous question plays no part


def test_a_one_paragraph_text_is_asked_too() -> None:
    """BM25 weighs every word of a one-paragraph text below zero: the paragraph still answers."""
    note = "The meeting was postponed because half of the team was sick. It moves to Friday."
    found = answer(note, "Why was the meeting postponed?")
    assert found.found and found.text.startswith("The meeting was postponed")
    assert answer(note, "What is the marketing budget?").text == NOT_FOUND
