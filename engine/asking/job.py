"""One question about a document, run on the engine thread: plain text in, an answer
with its sources out.

Both backends run it. The quoted answer (engine/asking/answers.py) is always ready; a
backend that can write (a server) is asked too, from the same ranked paragraphs, and its
answer is offered only when the verdict finds nothing invented and every sentence of it
is supported by a paragraph it was given. Otherwise the quote is the answer, and the
notice says why the written one was set aside.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import replace

from engine.asking import answers
from engine.asking.paragraphs import Paragraph
from engine.errors import InkwellError
from engine.fidelity import summaries
from engine.fidelity.summaries import SummarySentence
from engine.fidelity.verdict import judge
from engine.generation.decoding import StopReason
from engine.jobs import ModelInfo, Notice, Request, Result

# A server's answer to the request with the ranked paragraphs, as its backend reports it.
Writer = Callable[[Request], Result]
_CITATION = re.compile(r"\s*\[(\d+)\]")


def written(
    document: str, text: str, given: list[Paragraph]
) -> tuple[str, tuple[SummarySentence, ...]] | None:
    """A model's answer with its citations taken out and each sentence linked to the
    sentences of the paragraphs it was given that support it; None when any sentence is
    unsupported, a figure or name is invented, or it says the document holds nothing."""
    if not text.strip() or answers.NOT_FOUND.lower()[:20] in text.lower():
        return None
    plain = " ".join(_CITATION.sub("", text).split())
    context = "\n\n".join(p.text for p in given)
    if not judge(context, plain, operation="ask").clean:
        return None
    source_sentences = [
        replace(s, start=p.start + s.start, end=p.start + s.end)
        for p in given
        for s in summaries.split(p.text, prose_only=False)
    ]
    linked: list[SummarySentence] = []
    position = 0
    for sentence in [s.strip() for s in re.findall(r"[^.!?]+[.!?]*", plain) if s.strip()]:
        spans = summaries.support(document, sentence, source_sentences)
        if not spans:
            return None
        start = plain.index(sentence, position)
        linked.append(SummarySentence(start, start + len(sentence), spans))
        position = start + len(sentence)
    return (plain, tuple(linked)) if linked else None


def run(
    request: Request,
    emit: Callable[[str], None],
    cancel: threading.Event,
    started: float,
    info: ModelInfo | None,
    write: Writer | None = None,
) -> Result:
    """Answer `request.instruction` about `request.text`; the answer streams in word-sized
    pieces, so Stop takes effect within one of them."""
    question = (request.instruction or "").strip()  # the catalog refused an empty one
    retriever = answers.Retriever(request.text)
    # `before` carries the conversation's previous question, for a follow-up that refers back.
    quoted = answers.answer(request.text, question, retriever, previous=request.before)
    text = quoted.text
    spans = tuple((s.start, s.end) for s in quoted.sources)
    sentences: tuple[SummarySentence, ...] = (SummarySentence(0, len(text), spans),) if spans else ()
    notices: list[str] = []
    served: Result | None = None  # what the server wrote, kept or not: its tokens were spent
    if write is not None and quoted.found and not cancel.is_set():
        given = [p for p in retriever.paragraphs if p.number in quoted.paragraphs]
        try:
            served = write(replace(request, text=answers.numbered(given)))
            answer: str | None = served.text
        except InkwellError as exc:  # a server that stopped answering is named, and the quote stands
            answer = None
            notices.append(f"{exc.message} The answer is the document's own sentence.")
        checked = written(request.text, answer, given) if answer is not None and not cancel.is_set() else None
        if checked is not None:
            text, sentences = checked
        elif answer is not None and not cancel.is_set():
            notices.append(
                "The written answer was set aside (it said what the paragraphs do not); "
                "this is the document's own sentence."
            )
        for notice in notices:
            emit(Notice(notice))
    first: float | None = None
    shown = ""
    for piece in answers.pieces(text):
        if cancel.is_set():
            break
        first = first or time.perf_counter()
        emit(piece)
        shown += piece
    finished = time.perf_counter()
    complete = shown == text
    return Result(
        job_id=request.job_id,
        text=shown,
        raw_text=shown,
        prompt_tokens=served.prompt_tokens if served else 0,
        new_tokens=served.new_tokens if served else 0,
        ttft_ms=((first or finished) - started) * 1000.0,
        tokens_per_s=served.tokens_per_s if served else 0.0,
        stop_reason=StopReason.END_OF_ANSWER if complete else StopReason.CANCELLED,
        model=info.name if info else "",
        device=info.device if info else "",
        verdict=judge(request.text, shown, operation="ask"),
        sources=sentences if complete else (),
        notices=tuple(notices),
    )
