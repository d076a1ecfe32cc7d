"""The live suggestion: asking the engine, streaming into the editor, accept and reject.

One suggestion is live at a time. Its place is held by two document cursors (the start
and end of the text it replaces, or one point for Continue/Draft), so it lands where it
was asked for however the writer moves or types elsewhere. Deltas arrive from the
engine's async stream (run on Qt's loop by qasync) and are coalesced by a short timer
before they are drawn. The document itself changes only on accept, in one edit block.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QMouseEvent, QTextCursor
from PySide6.QtWidgets import QMenu, QTextEdit

from engine.documents import long_summary
from engine.documents.suggestion_history import settled as history_entry
from engine.documents.word_diff import word_diff
from engine.errors import InkwellError, InputError
from engine.generation.word_confidence import WordConfidence
from engine.jobs import Alternative, Notice, Request, Result, Revision, is_unchanged, next_job_id
from engine.prompting.templates import Catalog, OperationTemplate
from engine.settings import GenerationSettings
from ui.controllers.requests import RequestBuilder
from ui.editor import confidence_marks
from ui.editor.provisional import ProvisionalView, suggestion_format
from ui.editor.suggestion_bar import SuggestionBar
from ui.editor.text_editor import Editor
from ui.translations import interface_language

FLUSH_MS = 30
CONTINUE_CONTEXT_CHARS = 4000
SURROUNDING_CHARS = 1500  # {before}/{after}: the text around the selection
RETRY_TEMPERATURE = 0.8


class Phase(StrEnum):
    STREAMING = "streaming"
    STOPPED = "stopped"
    DONE = "done"


@dataclass
class Suggestion:
    request: Request
    start: QTextCursor
    end: QTextCursor
    original: str
    replaces: bool
    prefix: str = ""
    text: str = ""
    pending: str = ""
    phase: Phase = Phase.STREAMING
    stream: Any = None
    task: asyncio.Task | None = None
    first_delta_at: float | None = None
    deltas: int = 0
    result: Result | None = None
    cut_off: bool = False
    notice: str = ""  # why the answer shown first is being replaced
    alternatives: tuple[Alternative, ...] = ()  # the answers Alt+] and Alt+[ cycle through, once found
    choice: int = 0  # which of them is shown
    first_result: Result | None = None  # the answer's own result (its confidence), while cycling
    finding: Any = None  # the stream looking for alternatives

    @property
    def range(self) -> tuple[int, int]:
        return self.start.position(), self.end.position()


class SuggestionController(QObject):
    sig_live_changed = Signal(bool)
    sig_phase_changed = Signal(str)  # "streaming", "stopped", "done", or "" when none is live
    sig_rate = Signal(float)  # tokens per second while streaming
    sig_error = Signal(str)
    sig_hint = Signal(str)
    sig_finished = Signal(object)  # the Result, when the engine reports one
    sig_accepted = Signal()
    sig_rejected = Signal()
    sig_started = Signal(object)  # the Request of a new suggestion
    sig_settled = Signal(object)  # a HistoryEntry: what was suggested, and accepted or rejected

    def __init__(
        self,
        editor: Editor,
        engine: Any,
        catalog: Catalog,
        parent: QObject | None = None,
        generation: GenerationSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self._editor = editor
        self._engine = engine
        self.requests = RequestBuilder(catalog, generation)  # shared with the review pass
        self._view = ProvisionalView(editor)
        self._live: Suggestion | None = None
        self._rendering = False
        self._accepting = False
        self.bar = SuggestionBar(editor.viewport())
        self._timer = QTimer(self)
        self._timer.setInterval(FLUSH_MS)
        self._timer.timeout.connect(self._flush)

        self.bar.sig_accept.connect(self.accept)
        self.bar.sig_reject.connect(self.reject)
        self.bar.sig_stop.connect(self.stop)
        self.bar.sig_retry.connect(self.retry)
        self.bar.sig_diff.connect(self.show_diff)
        self.bar.sig_source.connect(self.show_sources)
        editor.set_protection(self.protected_range, self._cursor_at_suggestion)
        editor.sig_accept_key.connect(self.accept)
        editor.sig_escape_key.connect(self._escape)
        editor.sig_hint.connect(self.sig_hint)
        editor.document().contentsChange.connect(self._document_changed)
        editor.verticalScrollBar().valueChanged.connect(self._place_bar)
        editor.viewport().installEventFilter(self)
        self.word_menu: QMenu | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """A left click on an underlined word of the suggestion opens its alternatives."""
        if (
            event.type() == QEvent.Type.MouseButtonPress
            and isinstance(event, QMouseEvent)
            and event.button() == Qt.MouseButton.LeftButton
            and self._live is not None
        ):
            point = event.position().toPoint()
            if self.offer_words(point, self._editor.viewport().mapToGlobal(point)):
                return True
        return super().eventFilter(watched, event)

    # -- state -------------------------------------------------------------------

    @property
    def live(self) -> Suggestion | None:
        return self._live

    @property
    def phase(self) -> str:
        return self._live.phase.value if self._live else ""

    def protected_range(self) -> tuple[int, int] | None:
        return self._live.range if self._live else None

    def _cursor_at_suggestion(self) -> bool:
        if self._live is None:
            return False
        cursor = self._editor.textCursor()
        start, end = self._live.range
        return not cursor.hasSelection() and start <= cursor.position() <= end

    def _set_phase(self, phase: Phase) -> None:
        assert self._live is not None
        self._live.phase = phase
        self.bar.set_streaming(phase is Phase.STREAMING, self._live.replaces)
        self.sig_phase_changed.emit(phase.value)

    # -- asking ------------------------------------------------------------------

    def set_catalog(self, catalog: Catalog) -> None:
        """Edited templates and new operations apply from the next request on."""
        self.requests.catalog = catalog

    def set_generation(self, generation: GenerationSettings) -> None:
        self.requests.generation = generation

    def set_spelling_language(self, language: str) -> None:
        """The dictionary Proofread judges with (sent as the request's language)."""
        self.requests.spelling_language = language

    def _gather(self, op: OperationTemplate, topic: str | None) -> tuple[str, int, int, str]:
        """The text an operation works on and where its answer goes (raises InputError)."""
        cursor = self._editor.textCursor()
        prefix = ""
        language = interface_language()
        if op.rewrite_like:
            if not cursor.hasSelection():
                raise InputError(self._select_first(op, language))
            return self._editor.selected_text(), cursor.selectionStart(), cursor.selectionEnd(), prefix
        if op.input == "before_cursor":
            end = cursor.selectionEnd()
            text = self._editor.text_between(max(0, end - CONTINUE_CONTEXT_CHARS), end)
            if not text.strip():
                raise InputError(
                    self.tr("Write something first: {0} carries on from the text before the cursor.").format(
                        op.label_in(language)
                    )
                )
            return text, end, end, prefix
        # a topic (Draft) or the selection (the writer's own inserting operations)
        text = (topic if topic is not None else self._editor.selected_text()).strip()
        end = cursor.selectionEnd()
        if not text:
            if op.input == "topic" and not op.custom:
                give = self.tr("Give {0} a topic, some keywords or an outline first.")
                raise InputError(give.format(op.label_in(language)))
            raise InputError(self._select_first(op, language))
        if cursor.block().text()[: end - cursor.block().position()].strip():
            prefix = "\n\n"
        return text, end, end, prefix

    def _select_first(self, op: OperationTemplate, language: str) -> str:
        """ "Select the text to proofread first." (a verb phrase), or "for Bullet points"."""
        action = op.action_in(language)
        if action:
            return self.tr("Select the text to {0} first.").format(action.lower())
        return self.tr("Select the text for {0} first.").format(op.label_in(language))

    def build_request(
        self,
        operation: str,
        *,
        style: str | None = None,
        language: str | None = None,
        instruction: str | None = None,
        topic: str | None = None,
    ) -> Request:
        """The request the current selection makes for `operation`, checked (raises InputError).

        The prompt editor's preview and the context meter use this too, so what they show
        is what running the operation sends.
        """
        return self._prepare(operation, style, language, instruction, topic)[0]

    def _prepare(
        self,
        operation: str,
        style: str | None,
        language: str | None,
        instruction: str | None,
        topic: str | None,
    ) -> tuple[Request, OperationTemplate, str, int, int, str]:
        """The checked request, and where its text comes from and its answer goes."""
        op = self.requests.operation(operation)
        text, start, end, prefix = self._gather(op, topic)
        before = after = ""
        if op.placeholders & {"before", "after"}:
            before = self._editor.text_between(max(0, start - SURROUNDING_CHARS), start)
            after = self._editor.text_between(end, min(self._editor.text_length(), end + SURROUNDING_CHARS))
        request = self.requests.request(
            operation,
            text,
            style=style,
            language=language,
            instruction=instruction,
            before=before,
            after=after,
        )
        return request, op, text, start, end, prefix

    def start(
        self,
        operation: str,
        *,
        style: str | None = None,
        language: str | None = None,
        instruction: str | None = None,
        topic: str | None = None,
    ) -> bool:
        """Ask for a suggestion on the selection (or at the cursor); False if nothing was asked."""
        try:
            prepared = self._prepare(operation, style, language, instruction, topic)
            request, op, text, start, end, prefix = prepared
        except InkwellError as exc:
            self.sig_error.emit(exc.message)
            return False
        if op.input == "before_cursor" and end > CONTINUE_CONTEXT_CHARS:  # the model does not see it all
            hint = self.tr(
                "{0} reads the {1:,} characters before the cursor; the {2:,} before those are left out."
            )
            label, left_out = op.label_in(interface_language()), end - CONTINUE_CONTEXT_CHARS
            self.sig_hint.emit(hint.format(label, CONTINUE_CONTEXT_CHARS, left_out))
        self._settle_for_new_request()
        request = replace(request, confidence=True)  # where the model was unsure, once it is done
        suggestion = Suggestion(
            request=request,
            start=self._editor.tracking_cursor(start, keep_on_insert=False),
            end=self._editor.tracking_cursor(end, keep_on_insert=True),
            original=text if op.rewrite_like else "",
            replaces=op.rewrite_like,
            prefix=prefix,
        )
        self._live = suggestion
        collapsed = self._editor.textCursor()
        collapsed.setPosition(end)
        self._editor.setTextCursor(collapsed)
        self.sig_live_changed.emit(True)
        self.sig_started.emit(request)
        self._run(suggestion)
        return True

    def offer(self, text: str, request: Request) -> bool:
        """Put `text` (an answer from the Ask panel) at the cursor as a finished suggestion,
        like any other: accepted it is one undo step, rejected the document is untouched.
        `request` is what Retry asks again."""
        if not text.strip():
            self.sig_error.emit(self.tr("There is no answer to insert yet."))
            return False
        self._settle_for_new_request()
        position = self._editor.textCursor().selectionEnd()
        suggestion = Suggestion(
            request=request,
            start=self._editor.tracking_cursor(position, keep_on_insert=False),
            end=self._editor.tracking_cursor(position, keep_on_insert=True),
            original="",
            replaces=False,
            text=text,
            phase=Phase.DONE,
        )
        self._live = suggestion
        self.sig_live_changed.emit(True)
        self._set_phase(Phase.DONE)
        self._render()
        return True

    def _run(self, suggestion: Suggestion) -> None:
        request = suggestion.request
        if (
            request.operation == "summarize"
            and self.requests.catalog.get("summarize").pipeline != "extract"
            and len(request.text) > long_summary.PART_CHARS
        ):
            # a long text is read in parts and the summaries combined (engine/documents/long_summary.py)
            suggestion.stream = long_summary.SummaryStream(
                self._engine,
                request,
                lambda stage: self.sig_hint.emit(self.tr("Summarizing: {0}").format(stage.describe())),
            )
        else:
            suggestion.stream = self._engine.stream(request, replace=True)
        suggestion.task = asyncio.ensure_future(self._consume(suggestion))
        self._set_phase(Phase.STREAMING)
        self._render()

    async def _consume(self, suggestion: Suggestion) -> None:
        failure: str | None = None
        try:
            async for delta in suggestion.stream:
                if suggestion is not self._live:
                    return
                if isinstance(delta, Notice):  # said in the bar, never part of the text
                    suggestion.notice = str(delta)
                    self._render()
                    continue
                if isinstance(delta, Revision):  # a better candidate replaces the streamed one
                    suggestion.text = ""
                    suggestion.pending = ""
                suggestion.pending += delta
                suggestion.deltas += 1
                if suggestion.first_delta_at is None:
                    suggestion.first_delta_at = time.perf_counter()
                if not self._timer.isActive():
                    self._timer.start()
            suggestion.result = suggestion.stream.result
        except InkwellError as exc:
            failure = exc.message
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # shown, never swallowed
            failure = self.tr("Generation failed: {0}: {1}").format(type(exc).__name__, exc)
        if suggestion is self._live:
            self._finish(suggestion, failure)

    def _finish(self, suggestion: Suggestion, failure: str | None) -> None:
        self._flush()
        self._timer.stop()
        if not suggestion.text.strip():
            self._drop()
            self.sig_error.emit(
                failure or self.tr("The model produced no text for this. Try again or rephrase it.")
            )
            return
        if failure is not None:
            suggestion.cut_off = True
            self.sig_error.emit(self.tr("The suggestion was cut off: {0}").format(failure))
        stopped = failure is not None or suggestion.stream.cancelled
        if suggestion.phase is Phase.STREAMING:
            self._set_phase(Phase.STOPPED if stopped else Phase.DONE)
        self._render()
        if self._lost(suggestion):  # what would be lost is shown before the writer accepts
            self.bar.diff_button.setChecked(True)
        if suggestion.result is not None:
            self.bar.set_sources(len(suggestion.result.sources) if not stopped else 0)
            self.show_sources(-1)
            self.sig_finished.emit(suggestion.result)

    # -- drawing -----------------------------------------------------------------

    def _flush(self) -> None:
        suggestion = self._live
        if suggestion is None:
            self._timer.stop()
            return
        if suggestion.pending:
            suggestion.text += suggestion.pending
            suggestion.pending = ""
            self._render()
        if suggestion.phase is Phase.STREAMING and suggestion.first_delta_at is not None:
            elapsed = time.perf_counter() - suggestion.first_delta_at
            if elapsed > 0.2:
                self.sig_rate.emit(suggestion.deltas / elapsed)
        if suggestion.phase is not Phase.STREAMING:
            self._timer.stop()

    def _render(self) -> None:
        suggestion = self._live
        if suggestion is None:
            return
        self._rendering = True
        try:
            start, end = suggestion.range
            lead = self._separator(suggestion) + suggestion.prefix
            shown = lead + suggestion.text
            if not suggestion.text and suggestion.phase is Phase.STREAMING:
                shown += "…"
            words = self._confidence(suggestion)
            drawn = (
                confidence_marks.pieces(lead, suggestion.text, words)
                if words
                else [(shown, suggestion_format())]
            )
            self._view.show(end, drawn, (start, end) if suggestion.replaces else None)
        finally:
            self._rendering = False
        status = {
            Phase.STREAMING: self.tr("Writing…"),
            Phase.STOPPED: self.tr("Cut off") if suggestion.cut_off else self.tr("Stopped"),
            Phase.DONE: self.tr("No change needed") if self._unchanged(suggestion) else self.tr("Suggestion"),
        }[suggestion.phase]
        unsure = len(confidence_marks.unsure(words))
        if unsure:  # the dotted words: where the model was guessing
            many = self.tr("{0} unsure words: click one").format(unsure)
            status += " · " + (self.tr("1 unsure word: click it") if unsure == 1 else many)
        self.bar.set_status(status, " · ".join(self._problems(suggestion)))
        self.bar.show()
        self.bar.raise_()
        self._place_bar()

    @staticmethod
    def _confidence(suggestion: Suggestion) -> tuple[WordConfidence, ...]:
        """The shown answer's word probabilities, once it is finished (an alternative's its own)."""
        result = suggestion.result
        if suggestion.phase is not Phase.DONE or result is None or result.text != suggestion.text:
            return ()
        return result.confidence

    def _separator(self, suggestion: Suggestion) -> str:
        """Display-only space between the struck original and its replacement."""
        if not suggestion.replaces:
            return ""
        end = suggestion.end
        return "\n" if end.atBlockEnd() else " "

    def _place_bar(self) -> None:
        if self._live is None or not self.bar.isVisible():
            return
        viewport = self._editor.viewport()
        self.bar.adjustSize()
        width = min(max(self.bar.sizeHint().width(), 300), viewport.width() - 16)
        self.bar.resize(width, self.bar.sizeHint().height())
        y = self._view.end_rect_bottom() + 4
        y = max(4, min(y, viewport.height() - self.bar.height() - 4))
        self.bar.move(viewport.width() - width - 8, y)

    # -- the writer's answers ----------------------------------------------------

    def accept(self) -> None:
        """Make the suggestion real text, replacing the original: one undo step."""
        suggestion = self._live
        if suggestion is None:
            return
        self._flush()
        if not suggestion.text:
            # Before the first word arrives there is nothing to accept: a rewrite would
            # delete the selection and put nothing in its place (found by the fuzzer).
            self.sig_hint.emit(self.tr("Nothing to accept yet: the suggestion has no text."))
            return
        if suggestion.phase is Phase.STREAMING:
            self.stop()
        self._flush()
        start, end = suggestion.range
        self._accepting = True
        try:
            self._view.clear()
            cursor = QTextCursor(self._editor.document())
            cursor.beginEditBlock()
            if suggestion.replaces:
                cursor.setPosition(start)
                cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            else:
                cursor.setPosition(end)
            cursor.insertText(suggestion.prefix + suggestion.text)
            cursor.endEditBlock()
        finally:
            self._accepting = False
        self._editor.setTextCursor(cursor)
        self._close()
        self._settled(suggestion, "accepted")
        self.sig_accepted.emit()

    def reject(self) -> None:
        """Withdraw the suggestion; the document was never touched."""
        suggestion = self._live
        if suggestion is None:
            return
        self._flush()
        self._drop()
        self._settled(suggestion, "rejected")
        self.sig_rejected.emit()

    def _settled(self, suggestion: Suggestion, outcome: str) -> None:
        """For the history: plain text of what the writer was offered and what they did."""
        if suggestion.text.strip():
            request = suggestion.request
            op = self.requests.catalog.operations.get(request.operation)
            entry = history_entry(
                op,
                request.operation,
                suggestion.original,
                suggestion.text,
                outcome,
                request.style,
                request.language,
            )
            self.sig_settled.emit(entry)

    def stop(self) -> None:
        """End generation now; what arrived stays provisional."""
        suggestion = self._live
        if suggestion is None or suggestion.phase is not Phase.STREAMING:
            return
        suggestion.stream.cancel()
        self._flush()
        self._set_phase(Phase.STOPPED)
        self._render()

    def retry(self) -> None:
        """Generate again in the same place, with sampling so the answer differs."""
        suggestion = self._live
        if suggestion is None:
            return
        self._cancel_stream(suggestion)
        suggestion.request = replace(
            suggestion.request,
            temperature=RETRY_TEMPERATURE,
            seed=random.randrange(2**31),
            answer_prefix="",
            job_id=next_job_id(),
        )
        self._restart(suggestion)

    def _restart(self, suggestion: Suggestion) -> None:
        """Run the suggestion's (changed) request again in the same place."""
        suggestion.text = suggestion.pending = ""
        suggestion.first_delta_at, suggestion.deltas, suggestion.result = None, 0, None
        suggestion.cut_off = False
        suggestion.notice = ""
        suggestion.alternatives, suggestion.choice, suggestion.first_result = (), 0, None
        suggestion.finding = None
        self.bar.set_alternatives(0, 0)
        self.bar.set_sources(0)
        self._editor.set_selection_layer("sources", [])
        self.bar.diff_button.setChecked(False)
        self._run(suggestion)

    # -- alternatives --------------------------------------------------------------

    def next_alternative(self) -> None:
        self._cycle(1)

    def previous_alternative(self) -> None:
        self._cycle(-1)

    def _cycle(self, step: int) -> None:
        """Show the next (or previous) of the rewrite's clean alternatives; the first time,
        ask the engine for them (the same prompt, its cache reused)."""
        suggestion = self._live
        if suggestion is None:
            return
        if suggestion.phase is not Phase.DONE or not suggestion.replaces or suggestion.result is None:
            self.sig_hint.emit(self.tr("Alternatives are offered for a finished rewrite."))
            return
        if suggestion.alternatives:
            self._show_alternative(suggestion, (suggestion.choice + step) % len(suggestion.alternatives))
        elif suggestion.finding is None:
            wanted = max(2, self.requests.generation.alternatives)
            request = replace(
                suggestion.request,
                alternatives=wanted,
                confidence=True,  # each alternative's unsure words are dotted too
                answer_prefix="",
                job_id=next_job_id(),
            )
            suggestion.finding = self._engine.stream(request)
            self.bar.set_alternatives(0, 0, finding=True)
            self._place_bar()
            suggestion.task = asyncio.ensure_future(self._found(suggestion, suggestion.finding, step))

    async def _found(self, suggestion: Suggestion, stream: Any, step: int) -> None:
        failure = ""
        try:
            async for _delta in stream:
                pass  # the answers are compared once all are judged, not streamed
        except InkwellError as exc:
            failure = exc.message
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # shown, never swallowed
            failure = self.tr("Finding alternatives failed: {0}: {1}").format(type(exc).__name__, exc)
        if suggestion is not self._live or suggestion.finding is not stream:
            return  # accepted, rejected or retried meanwhile
        suggestion.finding = None
        result = stream.result
        self.bar.set_alternatives(0, 0)
        if failure or result is None:
            self.sig_error.emit(failure or self.tr("No alternatives were found."))
            return
        assert suggestion.result is not None
        current = Alternative(suggestion.text, suggestion.result.verdict)
        others = tuple(a for a in result.alternatives if a.text.strip() != suggestion.text.strip())
        if not others:
            self.sig_hint.emit(
                self.tr("No other answer kept every fact in its place: this one is the only clean one.")
            )
            self._place_bar()
            return
        suggestion.alternatives = (current, *others)
        suggestion.first_result = suggestion.result
        self._show_alternative(suggestion, step % len(suggestion.alternatives))

    def _show_alternative(self, suggestion: Suggestion, index: int) -> None:
        first = suggestion.first_result
        assert first is not None
        chosen = suggestion.alternatives[index]
        suggestion.choice = index
        suggestion.text = chosen.text
        suggestion.result = (
            first
            if index == 0
            else replace(first, text=chosen.text, verdict=chosen.verdict, confidence=chosen.confidence)
        )
        self.bar.set_alternatives(index + 1, len(suggestion.alternatives))
        self._render()
        if self.bar.diff_button.isChecked():
            self.show_diff(True)

    # -- the model's other words --------------------------------------------------------

    def unsure_word_at(self, point: QPoint) -> WordConfidence | None:
        """The underlined word of the finished suggestion under `point` (viewport coordinates)."""
        suggestion = self._live
        if suggestion is None:
            return None
        words = self._confidence(suggestion)
        index = self._view.index_at(point) if words else None
        if index is None:
            return None
        index -= len(self._separator(suggestion) + suggestion.prefix)
        return confidence_marks.word_at(words, index)

    def offer_words(self, point: QPoint, global_point: QPoint) -> bool:
        """A click on an underlined word: the model's other choices there, with their
        probabilities; choosing one writes the rest of the suggestion again from it."""
        word = self.unsure_word_at(point)
        suggestion = self._live
        if word is None or suggestion is None:
            return False
        menu = QMenu(self._editor)
        heading = menu.addAction(
            self.tr("“{0}”: {1:.0%} sure").format(suggestion.text[word.start : word.end], word.p)
        )
        heading.setEnabled(False)
        for text, p in word.alternatives:
            action = menu.addAction(self.tr("{0}  ({1:.0%})").format(text.strip(), p))
            action.triggered.connect(lambda _=False, t=text: self.regenerate_from(word, t))
        if not word.alternatives:
            menu.addAction(self.tr("No other likely word")).setEnabled(False)
        self.word_menu = menu  # kept for tests, which cannot click in a popup
        menu.popup(global_point)
        return True

    def regenerate_from(self, word: WordConfidence, alternative: str) -> None:
        """The suggestion up to `word`, `alternative` in its place, and the rest written anew."""
        suggestion = self._live
        if suggestion is None or suggestion.phase is not Phase.DONE:
            return
        prefix = confidence_marks.prefix_with(suggestion.text, word, alternative)
        self._cancel_stream(suggestion)
        suggestion.request = replace(
            suggestion.request,
            answer_prefix=prefix,
            alternatives=0,
            temperature=0.0,
            confidence=True,
            job_id=next_job_id(),
        )
        self._restart(suggestion)

    @staticmethod
    def _unchanged(suggestion: Suggestion) -> bool:
        """A finished answer that gives the writer's text back: proofread found nothing, or
        the text already reads as the style asks."""
        result = suggestion.result
        if result is None or not suggestion.replaces:
            return False
        return is_unchanged(suggestion.request.text, result.text)

    @staticmethod
    def _lost(suggestion: Suggestion) -> tuple[str, ...]:
        """The source's numbers and names the finished suggestion drops, moves or adds."""
        result = suggestion.result
        if result is None or suggestion.phase is not Phase.DONE:
            return ()
        if result.verdict is not None:
            return tuple(dict.fromkeys(result.missing_facts + result.verdict.marked_words()))
        return result.missing_facts

    def _problems(self, suggestion: Suggestion) -> list[str]:
        """What the writer must know before accepting, for the bar (in red)."""
        result = suggestion.result
        if result is None or suggestion.phase is not Phase.DONE:
            return [suggestion.notice] if suggestion.notice else []
        problems = []
        if result.warning:
            problems.append(result.warning)
        if result.verdict is not None:
            problems.extend(result.verdict.problems())
        elif result.missing_facts:
            problems.append(self.tr("drops: {0}").format(", ".join(result.missing_facts)))
        return problems

    def show_sources(self, index: int) -> None:
        """Highlight the source sentences of summary sentence `index` (all of them for -1)
        in the text being summarised, and scroll to the first."""
        suggestion = self._live
        result = suggestion.result if suggestion is not None else None
        if suggestion is None or result is None or not result.sources:
            self._editor.set_selection_layer("sources", [])
            return
        start = suggestion.range[0]
        chosen = result.sources if index < 0 else result.sources[index : index + 1]
        marks = []
        for sentence in chosen:
            for a, b in sentence.sources:
                mark = QTextEdit.ExtraSelection()
                mark.format.setBackground(QColor("#fff1a8" if index >= 0 else "#fff8d6"))
                cursor = QTextCursor(self._editor.document())
                cursor.setPosition(start + a)
                cursor.setPosition(start + b, QTextCursor.MoveMode.KeepAnchor)
                mark.cursor = cursor
                marks.append(mark)
        self._editor.set_selection_layer("sources", marks)
        if index >= 0 and marks:
            cursor = QTextCursor(marks[0].cursor)
            cursor.clearSelection()
            rect = self._editor.cursorRect(cursor)
            if not self._editor.viewport().rect().contains(rect.center()):
                bar = self._editor.verticalScrollBar()
                bar.setValue(bar.value() + rect.top() - self._editor.viewport().height() // 3)

    def show_diff(self, visible: bool) -> None:
        suggestion = self._live
        if suggestion is None or not suggestion.replaces or not visible:
            self.bar.show_diff(None)
        else:
            self.bar.show_diff(word_diff(suggestion.original, suggestion.text), self._lost(suggestion))
        self._place_bar()

    def _escape(self) -> None:
        if self._live is not None and self._live.phase is Phase.STREAMING:
            self.stop()
        else:
            self.reject()

    # -- endings -----------------------------------------------------------------

    def _settle_for_new_request(self) -> None:
        """Only one suggestion at a time: a new request replaces the live one."""
        if self._live is not None:
            self._drop()

    def _cancel_stream(self, suggestion: Suggestion) -> None:
        if suggestion.stream is not None and suggestion.phase is Phase.STREAMING:
            suggestion.stream.cancel()
        if suggestion.finding is not None:
            suggestion.finding.cancel()
            suggestion.finding = None
        if suggestion.task is not None and not suggestion.task.done():
            suggestion.task.cancel()

    def _drop(self) -> None:
        suggestion = self._live
        if suggestion is None:
            return
        self._cancel_stream(suggestion)
        self._view.clear()
        self._close()

    def _close(self) -> None:
        self._timer.stop()
        self._live = None
        self.bar.set_alternatives(0, 0)
        self._editor.set_selection_layer("sources", [])
        self.bar.set_sources(0)
        self.bar.diff_button.setChecked(False)
        self.bar.hide()
        self.sig_phase_changed.emit("")
        self.sig_live_changed.emit(False)

    def _document_changed(self, position: int, removed: int, added: int) -> None:
        suggestion = self._live
        if suggestion is None or self._rendering or self._accepting:
            return
        if suggestion.replaces:
            start, end = suggestion.range
            if self._editor.text_between(start, end) != suggestion.original:
                self._drop()
                self.sig_hint.emit(
                    self.tr("The text under the suggestion changed, so the suggestion was withdrawn.")
                )
                return
        QTimer.singleShot(0, self._render)

    def shutdown(self) -> None:
        """Cancel any running job; used when the window closes."""
        with contextlib.suppress(Exception):
            self._drop()
