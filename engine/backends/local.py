"""Running operations on a model in this process: loading and answering. The decode step
it runs through is prepared by engine/backends/decode_steps.py.

Each operation takes its pipeline: plain decoding (engine/generation/loops.py), proofreading as
judged edits (engine/fidelity/proofread.py), or rewrites checked for their facts
(engine/fidelity/rewriting.py).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import torch

from engine.asking import job as asking_job
from engine.backends.contract import Backend
from engine.backends.decode_steps import DecodeSteps
from engine.errors import GenerationError, InputError, ModelLoadError
from engine.fastpath.threads import use_engine_threads
from engine.fidelity import inclusive, model_languages, rewriting, summaries
from engine.fidelity.alternatives import close_to
from engine.fidelity.alternatives import gather as gather_alternatives
from engine.fidelity.facts import Fact, keep_line, spellings
from engine.fidelity.facts import extract as extract_facts
from engine.fidelity.proofread import Proofreader
from engine.fidelity.scoring import FastScorer, ModelScorer, Scorer
from engine.fidelity.spelling import LANGUAGES, PERSONAL_FILE, Dictionary, PersonalWords, language_code
from engine.fidelity.style_edits import STYLES, StyleEditor
from engine.fidelity.verdict import Verdict, judge
from engine.generation.confidence import confidence
from engine.generation.decoding import StopReason
from engine.generation.loops import Generation, Settings, decode
from engine.generation.word_confidence import WordConfidence
from engine.jobs import Alternative, ModelInfo, Notice, Request, Result, Revision
from engine.models.device import choose_device
from engine.models.loader import LoadedModel, ModelLoader, wants_fast
from engine.models.progress import PREPARE_STEP_S, PREPARING_STEP, LoadReporter, ProgressSink
from engine.models.spec import LoadSpec, ModelSpec
from engine.prompting.cleaning import CleanerOptions, OutputCleaner
from engine.prompting.render import Prompt, instruction_text, render
from engine.prompting.templates import Catalog
from engine.settings import default_config_dir

log = logging.getLogger(__name__)


class LocalBackend(Backend):
    """Owns one loaded model at a time; used from the engine thread only."""

    def __init__(
        self,
        loader: ModelLoader,
        catalog: Catalog,
        *,
        device: str = "auto",
        dtype: str = "auto",
        precision: str = "fast",
        context_size: int = 0,
        compile_step: str = "use",
        spelling_language: str = "en",
        personal_words: Path | None = None,
    ) -> None:
        """`compile_step`: "off" keeps the eager decode step; "use" attaches a compiled step
        already in the cache; "build" also compiles one (and measures the CPU plan) in a
        background process when there is none (the app); "detach" starts that process and
        leaves it running after this one ends (a one-shot CLI run, which says so once)."""
        self._loader = loader
        self._context_size = context_size
        self.steps = DecodeSteps(loader.compiled_dir, compile_step)
        self._catalog = catalog
        self._device = device
        self._dtype = dtype
        self._precision = precision
        self._loaded: LoadedModel | None = None
        self.last_prompt: Prompt | None = None  # what the last job sent (previews are checked against it)
        self._spelling_language = spelling_language
        self._personal_words = personal_words if personal_words is not None else default_personal_words()
        self._dictionaries: dict[str, Dictionary] = {}  # by language, loaded on first use (0.2 s)
        self._deadline: float | None = None  # when the running rewrite stops trying candidates
        self._digits: tuple[int, ...] = ()
        self._digits_for: object | None = None  # the tokenizer `_digits` was found in

    @property
    def info(self) -> ModelInfo | None:
        return self._loaded.info if self._loaded else None

    @property
    def loaded(self) -> LoadedModel:
        if self._loaded is None:
            raise ModelLoadError("No model is loaded yet.")
        return self._loaded

    def load(self, spec: LoadSpec, progress: ProgressSink | None = None) -> ModelInfo:
        if not isinstance(spec, ModelSpec):
            raise ModelLoadError("The in-process backend loads a model, not a server.")
        use_engine_threads()
        choice = choose_device(self._device, self._dtype)
        fast = wants_fast(choice, self._precision) and self.steps.mode != "off"
        reporter = LoadReporter(progress, [(PREPARING_STEP, PREPARE_STEP_S)] if fast else [])
        loaded = self._loader.load(spec, choice, self._precision, reporter)  # the old model stays on failure
        if 0 < self._context_size < loaded.info.context_window:
            loaded.info = replace(loaded.info, context_window=self._context_size)
        self._loaded = loaded
        reporter.step(PREPARING_STEP)
        self.steps.prepare(loaded.fast)
        return loaded.info

    def unload(self) -> None:
        self.steps.stop()
        self._loaded = None

    def close(self) -> None:
        self.steps.stop()

    # -- the decode step ----------------------------------------------------------------

    @property
    def preparing(self) -> bool:
        """A faster decode step is being built in the background, for this run or the next."""
        return self.steps.preparing

    def after_load(self) -> None:
        """Queued by the engine right after a load: attaching the compiled step costs about
        1.5 s in a fresh process (importing Inductor, loading the library), which need not
        delay the moment the model is ready."""
        use_engine_threads()
        self.steps.attach_pending(self._loaded.fast if self._loaded else None)

    @property
    def compiled(self) -> bool:
        """Whether decoding runs through the compiled step."""
        fast = self._loaded.fast if self._loaded else None
        return fast is not None and fast.compiled

    def wait_for_compiled(self, timeout: float) -> bool:
        """Wait for a background build (benchmarks and tests), then take it up."""
        return self.steps.wait(self._loaded.fast if self._loaded else None, timeout)

    def render(self, request: Request, catalog: Catalog | None = None) -> Prompt:
        """The exact prompt text; `catalog` previews templates that are not saved yet."""
        catalog = catalog or self._catalog
        op = catalog.validate(request)
        return render(request, op, catalog, self.loaded.tokenizer)

    def set_catalog(self, catalog: Catalog) -> None:
        self._catalog = catalog

    def count_prompt_tokens(self, request: Request) -> tuple[int, bool]:
        return int(self.encode(self.render(request)).shape[1]), True

    def encode(self, prompt: Prompt) -> torch.Tensor:
        tokenizer = self.loaded.tokenizer
        # The chat template already holds its special tokens; a plain prompt gets BOS etc.
        add_special = prompt.form == "completion"
        encoded = tokenizer(prompt.text, add_special_tokens=add_special, return_tensors="pt")
        ids: torch.Tensor = encoded.input_ids
        return ids

    # -- answering -----------------------------------------------------------------------

    def _settings(self, request: Request, prompt: Prompt, max_new: int, wanted: int) -> Settings:
        return Settings(
            max_new=max_new,
            wanted=wanted,
            min_new=prompt.operation.min_new_tokens,
            temperature=request.temperature,
            top_p=request.top_p,
            seed=request.seed,
            copy=prompt.operation.copy_draft,
        )

    def _cleaner(self, request: Request, prompt: Prompt) -> OutputCleaner:
        op = prompt.operation
        return OutputCleaner(
            CleanerOptions(
                rewrite_like=op.rewrite_like,
                stop_at_blank_line=prompt.stop_at_blank_line,
                strip_leading_space=prompt.strip_leading_space,
                strip_preamble=op.name != "continue",
                stop_at_repeated_sentence=not op.rewrite_like and op.stop_on_loop,
                context=request.text if not op.rewrite_like else "",
                instruction=instruction_text(request, op, self._catalog) if op.rewrite_like else "",
            )
        )

    def _scorer(self) -> Scorer:
        loaded = self.loaded
        if loaded.fast is not None:
            return FastScorer(loaded.fast, loaded.tokenizer)
        return ModelScorer(loaded.model, loaded.tokenizer)

    def dictionary_for(self, language: str | None = None) -> Dictionary:
        """The dictionary for a request's language (a code or a name), else the default."""
        code = language_code(language) or self._spelling_language
        if code not in self._dictionaries:
            self._dictionaries[code] = Dictionary(code, PersonalWords(self._personal_words))
        dictionary = self._dictionaries[code]
        dictionary.refresh()
        return dictionary

    @property
    def dictionary(self) -> Dictionary:
        return self.dictionary_for(None)

    def generate(self, request: Request, emit: Callable[[str], None], cancel: threading.Event) -> Result:
        started = time.perf_counter()
        self.after_load()  # also sets this thread's OpenMP count
        loaded = self.loaded
        self.steps.poll(loaded.fast)
        op = self._catalog.validate(request)
        if op.pipeline == "edits":
            return self._proofread(request, emit, cancel, started)
        if op.pipeline == "ask":  # quoting the document: any language it is written in
            return asking_job.run(request, emit, cancel, started, loaded.info)
        gate = model_languages.check(request, op.name, loaded.info.languages, loaded.info.name)
        if gate.refusal:
            raise InputError(gate.refusal)
        if op.pipeline == "extract":
            return self._summarize(request, emit, cancel, started)
        facts = extract_facts(request.text, self.dictionary) if op.pipeline == "keep_facts" else []
        prompt = self.render(replace(request, keep=keep_line(facts)) if facts else request)
        self.last_prompt = prompt
        input_ids = self.encode(prompt)
        prompt_tokens = int(input_ids.shape[1])
        window = loaded.info.context_window
        if prompt_tokens >= window:
            raise InputError(
                f"The text is too long for this model: with the instructions it is "
                f"{prompt_tokens:,} tokens, and the model's context window is {window:,} "
                f"tokens. Select a shorter passage, or use Assistant → Review document… "
                f"(paragraph by paragraph) or Summarize (which reads a long text in parts)."
            )
        wanted = request.max_new_tokens or prompt.operation.max_new_tokens
        if op.pipeline == "keep_facts" and not request.max_new_tokens:
            wanted = min(wanted, rewriting.token_budget(self.encode_plain(request.text), request.style))
        settings = self._settings(request, prompt, min(wanted, window - prompt_tokens), wanted)
        reused = loaded.fast.reusable_prefix(input_ids[0].tolist()) if loaded.fast is not None else 0
        keep_facts = op.pipeline == "keep_facts"
        share = rewriting.min_share(request.style) if keep_facts else 0.0
        self._deadline = started + rewriting.SECONDS
        notices: list[str] = []
        if request.answer_prefix:
            args = (request, prompt, input_ids, settings, emit, cancel, started, facts, share)
            return self._from_prefix(*args)

        def notice(message: str) -> None:
            notices.append(message)
            emit(Notice(message))

        def verdict_of(text: str) -> Verdict:
            return judge(
                request.text,
                text,
                operation=op.name if op.name in ("rewrite", "translate", "summarize") else "custom",
                style=request.style if op.name == "rewrite" else None,
                target_language=request.language,
                dictionary=self.dictionary,
                min_share=share,
                facts=facts if keep_facts else None,
            )

        def run(settings: Settings, sink: Callable[[str], None]) -> Generation:
            return self._decode(request, prompt, input_ids, settings, sink, cancel)

        edited: Generation | None = None
        as_written = False  # the text already has the style: it is the answer
        if keep_facts and request.style in STYLES and op.rewrite_like:
            # The style's judged edits come first and stream; the model's free rewrite is
            # decoded beside them and wins only when its verdict is clean and it reads better.
            edited = self._edited(request.text, request.style, cancel)
            if edited.text.strip() and edited.text != request.text:
                emit(edited.text)
                shown: Generation | None = edited
            else:
                shown = None  # nothing streamed yet
            # Nothing for the edits to do and the style's check passes already: a free
            # rewrite could only move facts about (a formal text came back with "and"
            # added between two dates), so the writer's text is the answer.
            already = rewriting.already(request.style, request.text)
            as_written = edited.text == request.text and already is not None
            generation = edited if as_written else run(settings, _ignore)
        else:
            generation = run(settings, emit)
            shown = generation
        chosen = rewriting.Choice(generation, [], None, 1, verdict_of(generation.text))
        if as_written:
            chosen = replace(chosen, problem=rewriting.UNCHANGED)
        elif op.rewrite_like and not cancel.is_set():
            attempt = _Attempt(request, facts, settings, run, cancel, verdict_of, notice, share)
            chosen = self._choose(attempt, generation, edited)
        if op.rewrite_like and not cancel.is_set():
            if chosen.problem == rewriting.UNCHANGED and keep_facts and not cancel.is_set():
                adjective = rewriting.already(request.style, request.text)
                if adjective is None:
                    style = f" ({request.style})" if request.style else ""
                    raise GenerationError(
                        f"No rewrite{style} of this text kept every fact in its place and said only what "
                        f"the text says, so nothing was "
                        f"changed. Try a shorter selection, or a larger model (Preferences → Model)."
                    )
                # Nothing to change is an answer: the writer's text, said to be fine as it is.
                text = request.text
                kept = replace(chosen.generation, text=text, raw_text=text)
                chosen = replace(chosen, generation=kept, missing=[], verdict=verdict_of(text))
                notice(f"The text already reads {adjective}: no change is suggested.")
                if shown is not None:
                    emit(Revision(text))
                    shown = chosen.generation
            if chosen.problem not in (None, rewriting.UNCHANGED) and not cancel.is_set():
                raise GenerationError(
                    f"The model did not produce a usable answer for this text ({chosen.problem}, in "
                    f"{chosen.tried} tries). Nothing was changed; try again or a shorter selection."
                )
            if shown is None:
                emit(chosen.generation.text)
            elif chosen.generation.text != shown.text:
                if shown is edited and edited is not None:
                    why = rewriting.reason(verdict_of(edited.text), edited.text == request.text)
                    notice(f"The edited text {why}; a rewrite by the model replaces it.")
                elif not notices:
                    notice(f"The first answer {rewriting.reason(verdict_of(shown.text))}; it was replaced.")
                emit(Revision(chosen.generation.text))
        final = chosen.generation
        prompt_ids = input_ids[0].tolist()

        def words_of(text: str) -> tuple[WordConfidence, ...]:
            return self._confidence(prompt_ids, text) if request.confidence else ()

        final_words = words_of(final.text)
        alternatives: tuple[Alternative, ...] = ()
        if request.alternatives > 1 and op.rewrite_like and chosen.problem is None and not cancel.is_set():
            pull = self._pull(facts)

            def sample(seed: int) -> str:
                again = replace(
                    settings,
                    temperature=rewriting.TEMPERATURE,
                    seed=seed,
                    copy=False,
                    pull=pull,
                    pull_bias=rewriting.PULL_BIAS,
                )
                return run(again, _ignore).text

            decoded = [g.text for g in (edited, generation) if g is not None]
            found = gather_alternatives(
                final.text,
                request.text,
                decoded,
                sample,
                verdict_of,
                request.alternatives,
                cancel,
                lambda text: close_to(request.text, text, request.style),
            )
            alternatives = tuple(
                Alternative(text, verdict, final_words if text == final.text else words_of(text))
                for text, verdict in found
            )
        first = generation.first_token_at or time.perf_counter()
        return Result(
            job_id=request.job_id,
            text=final.text,
            raw_text=final.raw_text,
            prompt_tokens=prompt_tokens,
            new_tokens=len(final.token_ids),
            ttft_ms=(first - started) * 1000.0,
            tokens_per_s=generation.decode_rate,
            stop_reason=StopReason.CANCELLED if cancel.is_set() else final.reason,
            model=loaded.info.name,
            device=loaded.info.device,
            token_ids=final.token_ids,
            reused_tokens=reused,
            missing_facts=tuple(fact.text for fact in chosen.missing)
            if keep_facts
            else chosen.verdict.missing,
            candidates=chosen.tried,
            drafted_tokens=final.drafted,
            verdict=chosen.verdict,
            notices=tuple(notices),
            warning=gate.warning,
            confidence=final_words,
            alternatives=alternatives,
        )

    def _from_prefix(
        self,
        request: Request,
        prompt: Prompt,
        input_ids: torch.Tensor,
        settings: Settings,
        emit: Callable[[str], None],
        cancel: threading.Event,
        started: float,
        facts: list[Fact],
        share: float,
    ) -> Result:
        """The answer goes on from `request.answer_prefix` (the suggestion up to a word, and
        the alternative the writer chose for it), greedily: the writer picked the turn, so
        no other candidate replaces it, and the verdict says what it now drops or adds."""
        loaded = self.loaded
        prefix = request.answer_prefix
        prefix_ids = loaded.tokenizer(prefix, add_special_tokens=False).input_ids
        ids = torch.cat([input_ids, torch.tensor([prefix_ids], dtype=input_ids.dtype)], dim=1)
        room = loaded.info.context_window - int(ids.shape[1])
        if room <= 0:
            raise InputError("The suggestion is too long to go on from that word in this model's context.")
        op = prompt.operation
        cleaner = OutputCleaner(
            CleanerOptions(
                rewrite_like=op.rewrite_like,
                stop_at_blank_line=prompt.stop_at_blank_line,
                strip_leading_space=False,  # it goes on from the prefix, mid-sentence
                strip_preamble=False,
            )
        )
        emit(prefix)
        generation = decode(
            loaded,
            ids,
            replace(settings, max_new=min(settings.max_new, room), temperature=0.0, copy=False),
            cleaner,
            emit,
            cancel,
            stop_on_loop=op.stop_on_loop,
            source_ids=input_ids[0].tolist(),
        )
        text = prefix + generation.text
        verdict = judge(
            request.text,
            text,
            operation=op.name if op.name in ("rewrite", "translate", "summarize") else "custom",
            style=request.style if op.name == "rewrite" else None,
            target_language=request.language,
            dictionary=self.dictionary,
            min_share=share,
            facts=facts or None,
        )
        first = generation.first_token_at or time.perf_counter()
        return Result(
            job_id=request.job_id,
            text=text,
            raw_text=prefix + generation.raw_text,
            prompt_tokens=int(ids.shape[1]),
            new_tokens=len(generation.token_ids),
            ttft_ms=(first - started) * 1000.0,
            tokens_per_s=generation.decode_rate,
            stop_reason=StopReason.CANCELLED if cancel.is_set() else generation.reason,
            model=loaded.info.name,
            device=loaded.info.device,
            token_ids=tuple(prefix_ids) + tuple(generation.token_ids),
            verdict=verdict,
            confidence=self._confidence(input_ids[0].tolist(), text) if request.confidence else (),
        )

    def _confidence(self, prompt_ids: list[int], answer: str) -> tuple[WordConfidence, ...]:
        """Each word's probability, read in one pass over the prompt's tokens and the final
        answer's (none when that would not fit the model's context)."""
        loaded = self.loaded
        if not answer.strip() or len(prompt_ids) + self.encode_plain(answer) >= loaded.info.context_window:
            return ()
        fast = loaded.fast

        def forward(ids: list[int], first: int) -> torch.Tensor:
            if fast is not None:  # the prompt's keys and values are mostly cached already
                start = min(fast.reusable_prefix(ids), first)
                fast.truncate(start)
                logits = fast.forward(ids[start:], start, every_position=True)
                fast.cached = list(ids)  # the cache holds them now, for the next job's prefix
                logits = logits[first - start : len(ids) - 1 - start]
            else:
                model = loaded.model
                assert model is not None  # a loaded model has one or the other
                logits = model(torch.tensor([ids], device=model.device)).logits[0][first : len(ids) - 1]
            return torch.log_softmax(logits.float().cpu(), dim=-1)

        with torch.inference_mode():
            return tuple(confidence(forward, loaded.tokenizer, prompt_ids, answer))

    def _choose(
        self, attempt: _Attempt, generation: Generation, edited: Generation | None
    ) -> rewriting.Choice:
        """The best of the edits and the model's candidates, by their verdicts."""
        request, facts, verdict_of = attempt.request, attempt.facts, attempt.verdict_of
        if edited is not None:
            edits_verdict = verdict_of(edited.text)
            free_verdict = verdict_of(generation.text)
            edits_fine = edited.text != request.text and edits_verdict.clean and not edits_verdict.style
            free_fine = free_verdict.clean and not free_verdict.style and not free_verdict.missing
            if edits_fine and not (free_fine and self._reads_better(generation.text, edited.text)):
                lost = [fact for fact in facts if fact.text in edits_verdict.missing]
                return rewriting.Choice(edited, lost, None, 2, edits_verdict)
            if free_fine:
                return rewriting.Choice(generation, [], None, 2, free_verdict)
            tightened = self._tightened(attempt, generation, free_verdict)
            if tightened is not None:
                return tightened
        # The edits streamed: there is no "first answer" to explain.
        chosen = self._candidates(attempt if edited is None else replace(attempt, notice=_ignore), generation)
        if edited is None:
            return chosen
        # The edits stay a candidate to the end, and win a tie: they keep the writer's words.
        edits_choice = rewriting.Choice(
            edited, [f for f in facts if f.text in edits_verdict.missing], None, chosen.tried, edits_verdict
        )
        return rewriting.prefer(request.text, edits_choice, chosen)

    def _tightened(
        self, attempt: _Attempt, generation: Generation, verdict: Verdict
    ) -> rewriting.Choice | None:
        """Shorter: the model's rewrite that keeps every fact but is not yet short enough,
        with Shorter's judged cuts on top (a rewrite that merged two sentences often needs
        only one more cut); None when that is still not short enough or not clean."""
        request = attempt.request
        if request.style != "shorter" or not verdict.clean or verdict.missing or not verdict.style:
            return None
        tightened = self._edited(generation.text, "shorter", attempt.cancel, source=request.text)
        judged = attempt.verdict_of(tightened.text)
        if not judged.clean or judged.missing or judged.style:
            return None
        return rewriting.Choice(tightened, [], None, 3, judged)

    def _candidates(self, attempt: _Attempt, generation: Generation) -> rewriting.Choice:
        """The model's candidates: sampled ones, then sentence by sentence (or, for Expand,
        the writer's text with an elaboration)."""
        request, facts, settings, cancel = attempt.request, attempt.facts, attempt.settings, attempt.cancel
        run, verdict_of, notice, share = attempt.run, attempt.verdict_of, attempt.notice, attempt.share
        keep_facts = bool(facts) or self._catalog.get(request.operation).pipeline == "keep_facts"
        as_written = (
            (lambda sentence: self._edited(sentence, request.style or "", cancel).text)
            if request.style in STYLES
            else None
        )
        if request.style == "expand":
            # Sampling more free expansions rarely fixes one that invents: the last
            # candidate is the writer's text with an elaboration the verdict accepts.
            return rewriting.choose(
                request.text,
                generation,
                facts,
                lambda seed: self._elaborate(request, seed, verdict_of, cancel),
                cancel,
                min_share=share,
                candidates=1 + rewriting.ELABORATIONS,
                judge_text=verdict_of,
                notice=notice,
                deadline=self._deadline,
            )
        return rewriting.choose(
            request.text,
            generation,
            facts,
            lambda seed: run(
                replace(
                    settings,
                    temperature=rewriting.TEMPERATURE,
                    seed=seed,
                    copy=False,
                    pull=self._pull(facts),
                    pull_bias=rewriting.PULL_BIAS,
                ),
                _ignore,
            ),
            cancel,
            min_share=share,
            by_sentence=(
                lambda draft: rewriting.piecewise(
                    request.text,
                    lambda sentence: extract_facts(sentence, self.dictionary),
                    lambda sentence, kept, attempt: self._rewrite_one(
                        request, sentence, kept, attempt, cancel
                    ),
                    cancel,
                    min_share=share,
                    draft=draft,
                    as_written=as_written,
                    deadline=self._deadline,
                )
            )
            if keep_facts
            else None,
            judge_text=verdict_of,
            notice=notice,
            deadline=self._deadline,
        )

    def _elaborate(
        self, request: Request, seed: int, verdict_of: Callable[[str], Verdict], cancel: threading.Event
    ) -> Generation:
        """The writer's text followed by a sentence or two the model adds to it (Continue's
        prompt: greedy first, then sampled), for Expand."""
        source = request.text.rstrip()
        # Room for two sentences: a sentence cut off by the budget is no addition at all.
        sub = Request("continue", source, max_new_tokens=max(48, self.encode_plain(source) + 8))
        prompt = self.render(sub)
        input_ids = self.encode(prompt)
        wanted = int(sub.max_new_tokens or 48)
        settings = replace(
            self._settings(sub, prompt, wanted, wanted),
            temperature=rewriting.TEMPERATURE if seed > 1 else 0.0,
            seed=seed,
            copy=False,
            min_new=8,
        )
        settings = replace(settings, never=self._digit_tokens())
        added = self._decode(sub, prompt, input_ids, settings, _ignore, cancel)
        texts = []
        for count in (2, 1):  # the second added sentence may invent where the first does not
            more = rewriting.first_sentences(added.text, count) or rewriting.closed_clause(added.text)
            texts.append(source + ("" if not more or more[:1] in ",.;:!?" else " ") + more.strip())
        verdicts = [verdict_of(text) for text in texts]
        ranked = sorted(range(len(texts)), key=lambda i: (not verdicts[i].clean, bool(verdicts[i].style), i))
        text = texts[ranked[0]]
        return Generation(text, text, added.token_ids, added.reason, None, None)

    def _digit_tokens(self) -> tuple[int, ...]:
        """The vocabulary's tokens that write a digit, found once per tokenizer, and the
        bare space that leads a number in byte-level vocabularies (without it, the space
        is written and the figure left out: "running  on a new route")."""
        tokenizer = self.loaded.tokenizer
        if self._digits_for is not tokenizer:
            pieces = [tokenizer.decode([i]) for i in range(len(tokenizer))]
            self._digits = tuple(
                i
                for i, piece in enumerate(pieces)
                if any(c.isdigit() for c in piece) or piece == " " or piece.strip().lower() in _NUMBER_WORDS
            )
            self._digits_for = tokenizer
        return self._digits

    def _reads_better(self, free: str, edited: str) -> bool:
        """Whether the model finds its own rewrite more fluent, per token, than the edits."""
        scorer = self._scorer()
        tokenizer = self.loaded.tokenizer
        rates = []
        for text in (free, edited):
            count = max(1, len(tokenizer(text, add_special_tokens=False).input_ids))
            rates.append(scorer.score("", [text])[0] / count)
        return rates[0] > rates[1]

    def _edited(
        self, text: str, style: str, cancel: threading.Event, source: str | None = None
    ) -> Generation:
        """`text` with `style` applied as judged edits (engine/fidelity/style_edits.py);
        `source` is the writer's text when `text` is the model's rewrite of it."""
        scorer = self._scorer()
        proofreader = Proofreader(self.dictionary, scorer)
        editor = StyleEditor(
            scorer, lambda piece: proofreader.proofread(piece, cancel=cancel).text, self.dictionary
        )
        with torch.inference_mode():
            edited = editor.apply(text, style, cancel, source=source)
        return Generation(edited, edited, (), StopReason.END_OF_ANSWER, None, None)

    def _summarize(
        self, request: Request, emit: Callable[[str], None], cancel: threading.Event, started: float
    ) -> Result:
        """Summaries chosen from the text's own sentences (engine/fidelity/summaries.py),
        each linked to its source; they stream sentence by sentence."""
        loaded = self.loaded
        self.last_prompt = None
        summary = summaries.extract(request.text)
        first: float | None = None
        position = 0
        for sentence in summary.sentences:
            if cancel.is_set():
                break
            first = first or time.perf_counter()
            emit(summary.text[position : sentence.end])
            position = sentence.end
        text = summary.text[:position]
        finished = time.perf_counter()
        return Result(
            job_id=request.job_id,
            text=text,
            raw_text=text,
            prompt_tokens=0,
            new_tokens=0,
            ttft_ms=((first or finished) - started) * 1000.0,
            tokens_per_s=0.0,
            stop_reason=StopReason.CANCELLED if cancel.is_set() else StopReason.END_OF_ANSWER,
            model=loaded.info.name,
            device=loaded.info.device,
            verdict=judge(request.text, text, operation="summarize"),
            sources=tuple(s for s in summary.sentences if s.end <= position),
        )

    def _rewrite_one(
        self, request: Request, sentence: str, facts: list[Fact], attempt: int, cancel: threading.Event
    ) -> Generation:
        """One sentence of a rewrite, decoded without streaming: greedy at the first attempt,
        sampled (seeded by the attempt) after."""
        sub = replace(request, text=sentence, keep=keep_line(facts))
        prompt = self.render(sub)
        input_ids = self.encode(prompt)
        limit = self.loaded.info.context_window - int(input_ids.shape[1])
        wanted = min(prompt.operation.max_new_tokens, 2 * int(self.encode_plain(sentence)) + 32)
        if request.max_new_tokens:
            wanted = min(wanted, request.max_new_tokens)  # the writer's cap holds for every try
        settings = replace(
            self._settings(sub, prompt, min(wanted, limit), wanted),
            temperature=rewriting.TEMPERATURE if attempt else 0.0,
            seed=attempt,
            pull=self._pull(facts),
            pull_bias=rewriting.PULL_BIAS,
        )
        return self._decode(sub, prompt, input_ids, settings, _ignore, cancel)

    def _pull(self, facts: list[Fact]) -> tuple[tuple[tuple[int, ...], ...], ...]:
        """Each fact's spellings as token ids, for `PullTowards`."""
        tokenizer = self.loaded.tokenizer
        return tuple(
            tuple(tuple(tokenizer(form, add_special_tokens=False).input_ids) for form in spellings(fact))
            for fact in facts
        )

    def _decode(
        self,
        request: Request,
        prompt: Prompt,
        input_ids: torch.Tensor,
        settings: Settings,
        sink: Callable[[str], None],
        cancel: threading.Event,
    ) -> Generation:
        """One answer to `prompt`, cleaned as its operation wants; the prompt is the copy source."""
        return decode(
            self.loaded,
            input_ids,
            settings,
            self._cleaner(request, prompt),
            sink,
            cancel,
            stop_on_loop=prompt.operation.stop_on_loop,
            source_ids=input_ids[0].tolist(),
        )

    def encode_plain(self, text: str) -> int:
        return len(self.loaded.tokenizer(text, add_special_tokens=False).input_ids)

    def _proofread(
        self, request: Request, emit: Callable[[str], None], cancel: threading.Event, started: float
    ) -> Result:
        """Proofreading as judged edits (engine/fidelity/proofread.py): the model scores, never writes."""
        loaded = self.loaded
        self.last_prompt = None
        first: list[float] = []

        def progress(piece: str) -> None:
            if not first:
                first.append(time.perf_counter())
            if piece and not cancel.is_set():
                emit(piece)

        if request.language and language_code(request.language) is None:
            raise InputError(
                f"Proofread has no dictionary for {request.language!r}; it knows "
                f"{', '.join(LANGUAGES.values())}."
            )
        proofreader = Proofreader(self.dictionary_for(request.language), self._scorer())
        with torch.inference_mode():
            outcome = proofreader.proofread(request.text, cancel=cancel, progress=progress)
        finished = time.perf_counter()
        return Result(
            job_id=request.job_id,
            text=outcome.text,
            raw_text=outcome.text,
            prompt_tokens=self.encode_plain(request.text),  # what the model read (and judged)
            new_tokens=0,
            ttft_ms=((first[0] if first else finished) - started) * 1000.0,
            tokens_per_s=0.0,
            stop_reason=StopReason.CANCELLED if cancel.is_set() else StopReason.END_OF_ANSWER,
            model=loaded.info.name,
            device=loaded.info.device,
            edits=tuple(f"{e.before}→{e.after}" for e in outcome.edits),
            flags=tuple(inclusive.check(outcome.text)),
        )


@dataclass(frozen=True)
class _Attempt:
    """What every candidate of one rewrite shares: the request, its facts and decoding
    settings, how to decode and judge one more, and where a notice goes."""

    request: Request
    facts: list[Fact]
    settings: Settings
    run: Callable[[Settings, Callable[[str], None]], Generation]
    cancel: threading.Event
    verdict_of: Callable[[str], Verdict]
    notice: Callable[[str], None]
    share: float


# Words that make a figure of their own ("around a million passengers").
_NUMBER_WORDS = frozenset(
    ["hundred", "hundreds", "thousand", "thousands", "million", "millions", "billion", "billions"]
)


def _ignore(_text: str) -> None:
    """Where a candidate's text goes while it is only being considered."""


def default_personal_words() -> Path:
    """The writer's word list, the one the editor's *Add to dictionary* writes."""
    return default_config_dir() / PERSONAL_FILE
