"""Running operations on an OpenAI-compatible server: vLLM, the llama.cpp server, Ollama.

The same prompts, cleaning, job ids, deltas and results as the local backend, so the UI
and the CLI cannot tell them apart. Text streams over server-sent events; cancelling
closes the HTTP stream at once, which makes the server stop generating. Every failure
becomes one clear message; the API key is read from an environment variable and never
logged.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any
from urllib.parse import urlparse

import httpx

from engine.asking import job as asking_job
from engine.backends.contract import Backend
from engine.errors import GenerationError, InputError, ModelLoadError
from engine.fidelity import inclusive, model_languages, rewriting, summaries
from engine.fidelity.alternatives import TRIES_PER_ALTERNATIVE, close_to, offerable
from engine.fidelity.alternatives import gather as gather_alternatives
from engine.fidelity.facts import extract as extract_facts
from engine.fidelity.facts import keep_line, missing
from engine.fidelity.local_edits import keep_local_edits
from engine.fidelity.spelling import Dictionary, language_code
from engine.fidelity.verdict import Verdict, judge
from engine.generation.word_confidence import ALTERNATIVES, TokenLogprob, WordConfidence, from_tokens
from engine.jobs import Alternative, ModelInfo, Notice, Request, Result
from engine.models.progress import ProgressSink
from engine.models.spec import DEFAULT_FIRST_BYTE_TIMEOUT, LoadSpec, ServerSpec
from engine.prompting.cleaning import CleanerOptions, OutputCleaner
from engine.prompting.render import Prompt, chat_messages, completion_text, render_for_server
from engine.prompting.templates import Catalog

log = logging.getLogger(__name__)


def _is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _server_message(response: httpx.Response) -> str:
    """The server's own words about an error, whatever shape they come in."""
    try:
        body = response.read().decode("utf-8", "replace")
    except httpx.HTTPError:
        return ""
    try:
        data = json.loads(body)
    except ValueError:
        return body.strip()[:300]
    error = data.get("error", data) if isinstance(data, dict) else data
    if isinstance(error, dict):
        return str(error.get("message") or error.get("detail") or error)[:300]
    return str(error)[:300]


MODEL_SUMMARY_CHARS = 24_000  # a server's own summary is tried for texts up to about 6,000 tokens


class RemoteBackend(Backend):
    """An OpenAI-compatible server behind the engine's backend interface."""

    def __init__(self, catalog: Catalog, *, transport: httpx.BaseTransport | None = None) -> None:
        """Which server it talks to comes with `load(ServerSpec(...))`, as a model comes
        with a local backend's load; `transport` replaces the network in tests."""
        self._base = ""
        self._catalog = catalog
        self._dictionaries: dict[str, Dictionary] = {}  # Proofread's, by language
        self._wanted_model: str | None = None
        self._model: str | None = None
        self._api_key_env: str | None = None
        self._first_byte_timeout = DEFAULT_FIRST_BYTE_TIMEOUT
        self._transport = transport
        self._info: ModelInfo | None = None
        self._lock = threading.Lock()
        self._response: httpx.Response | None = None
        self.available_models: list[str] = []

    # -- connection --------------------------------------------------------------

    def _headers(self) -> dict[str, str]:
        headers = {"Accept": "text/event-stream, application/json"}
        if self._api_key_env:
            key = os.environ.get(self._api_key_env)
            if not key:
                raise ModelLoadError(
                    f"The API key variable {self._api_key_env} is not set in the environment."
                )
            headers["Authorization"] = f"Bearer {key}"
        return headers

    def _client(self) -> httpx.Client:
        timeout = httpx.Timeout(connect=10.0, read=self._first_byte_timeout, write=30.0, pool=10.0)
        return httpx.Client(timeout=timeout, transport=self._transport, follow_redirects=False)

    def _where(self) -> str:
        parsed = urlparse(self._base)
        return f"{parsed.scheme}://{parsed.netloc}"

    def _transport_error(self, exc: httpx.HTTPError) -> str:
        where = self._where()
        text = str(exc)
        if isinstance(exc, httpx.ConnectTimeout):
            return f"The server at {where} did not accept the connection in time."
        if isinstance(exc, httpx.ConnectError):
            if (
                "Name or service not known" in text
                or "nodename nor servname" in text
                or "getaddrinfo" in text
            ):
                return f"The server name in {where} could not be found (DNS lookup failed)."
            return f"Cannot reach the server at {where}: connection refused. Is it running?"
        if isinstance(exc, httpx.ReadTimeout):
            return (
                f"The server at {where} sent nothing for {self._first_byte_timeout:g} s; "
                "it may be overloaded or still loading the model."
            )
        if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError):
            return f"The connection to {where} broke off: {type(exc).__name__}."
        return f"Talking to {where} failed: {type(exc).__name__}: {text[:200]}"

    def _status_error(self, response: httpx.Response, what: str) -> str:
        status = response.status_code
        said = _server_message(response)
        detail = f" The server said: {said}" if said else ""
        if status in (401, 403):
            return f"The server refused the request ({status}): check the API key.{detail}"
        if status == 404:
            return f"The server has no {what} ({status}).{detail}"
        if status == 429:
            return f"The server is busy (429, too many requests); try again shortly.{detail}"
        if status >= 500:
            return f"The server failed ({status}).{detail}"
        return f"The server rejected the request ({status}).{detail}"

    # -- the backend interface ------------------------------------------------------

    @property
    def info(self) -> ModelInfo | None:
        return self._info

    def load(self, spec: LoadSpec, progress: ProgressSink | None = None) -> ModelInfo:
        """Connect to the server: ask which models it serves and pick ours. A failure leaves
        the server in use before (if any) in place."""
        del progress  # asking a server for its models takes a moment, not steps
        if not isinstance(spec, ServerSpec):
            raise ModelLoadError("A server backend answers through a server, not a local model.")
        previous = (self._base, self._wanted_model, self._api_key_env, self._first_byte_timeout)
        base = spec.url.rstrip("/")
        self._base = base if base.endswith("/v1") else base + "/v1"
        self._wanted_model = spec.model or None
        self._api_key_env = spec.api_key_env or None
        self._first_byte_timeout = spec.first_byte_timeout
        try:
            return self._connect()
        except ModelLoadError:
            if self._info is not None:
                self._base, self._wanted_model, self._api_key_env, self._first_byte_timeout = previous
            raise

    def _connect(self) -> ModelInfo:
        started = time.perf_counter()
        try:
            with self._client() as client:
                response = client.get(f"{self._base}/models", headers=self._headers())
                if response.status_code != 200:
                    raise ModelLoadError(self._status_error(response, "model list at /v1/models"))
                try:
                    listed = [entry["id"] for entry in response.json()["data"]]
                except (ValueError, KeyError, TypeError):
                    raise ModelLoadError(
                        f"{self._where()} does not look like an OpenAI-compatible server "
                        "(/v1/models did not return a model list)."
                    ) from None
        except httpx.HTTPError as exc:
            raise ModelLoadError(self._transport_error(exc)) from exc
        if not listed:
            raise ModelLoadError(f"The server at {self._where()} serves no models.")
        self.available_models = listed
        if self._wanted_model is not None and self._wanted_model not in listed:
            raise ModelLoadError(
                f"The server has no model named {self._wanted_model!r}. It offers: {', '.join(listed)}."
            )
        self._model = self._wanted_model or listed[0]
        host = urlparse(self._base).hostname or ""
        warning = ""
        if urlparse(self._base).scheme == "http" and not _is_loopback(host):
            warning = f"The connection to {host} is plain http: your text travels unencrypted."
        self._info = ModelInfo(
            name=self._model.rsplit("/", 1)[-1],
            kind="server",
            device=f"server {urlparse(self._base).netloc}",
            dtype="server",
            device_reason="an OpenAI-compatible server",
            device_fallback=False,
            context_window=0,
            parameters=0,
            has_chat_template=True,
            load_seconds=time.perf_counter() - started,
            cache="none",
            precision="server",
            warning=warning,
        )
        return self._info

    def unload(self) -> None:
        self._info = None

    def render(self, request: Request, catalog: Catalog | None = None) -> Prompt:
        catalog = catalog or self._catalog
        return render_for_server(request, catalog.validate(request), catalog)

    def set_catalog(self, catalog: Catalog) -> None:
        self._catalog = catalog

    def count_prompt_tokens(self, request: Request) -> tuple[int, bool]:
        """An estimate (about four characters a token): the server's tokenizer is not here."""
        return max(1, len(self.render(request).text) // 4), False

    def interrupt(self) -> None:
        """Close the running stream from another thread: the server stops generating."""
        with self._lock:
            response = self._response
        if response is not None:
            response.close()

    def generate(self, request: Request, emit: Callable[[str], None], cancel: threading.Event) -> Result:
        """Proofread keeps only the answer's small local corrections (engine/fidelity/local_edits.py),
        so it is shown once checked; a rewrite is told the facts to keep and reports the
        ones its answer lost. Everything else streams as the server writes it."""
        op = self._catalog.validate(request)
        gate = model_languages.check(request, op.name, self._info.languages if self._info else (), "")
        if gate.refusal:
            raise InputError(gate.refusal)
        if op.pipeline == "edits":
            result = self._stream_answer(request, lambda _delta: None, cancel)
            if cancel.is_set():
                return result
            language = language_code(request.language) or "en"
            if language not in self._dictionaries:
                self._dictionaries[language] = Dictionary(language)
            text, edits = keep_local_edits(request.text, result.text, self._dictionaries[language])
            emit(text)
            return replace(result, text=text, edits=tuple(edits), flags=tuple(inclusive.check(text)))
        if op.pipeline == "extract":
            return self._summarize(request, emit, cancel)
        if op.pipeline == "ask":  # the server writes from the ranked paragraphs; checked, else quoted
            return asking_job.run(
                request,
                emit,
                cancel,
                time.perf_counter(),
                self._info,
                lambda sub: self._stream_answer(sub, lambda _delta: None, cancel),
            )
        if op.pipeline == "keep_facts":
            facts = extract_facts(request.text)
            request = replace(request, keep=keep_line(facts))
            result = self._stream_answer(request, emit, cancel)

            def verdict_of(text: str) -> Verdict:
                share = rewriting.min_share(request.style)
                return judge(request.text, text, style=request.style, min_share=share)

            result = replace(
                result,
                missing_facts=tuple(f.text for f in missing(facts, result.text)),
                verdict=verdict_of(result.text),
            )
            return self._with_alternatives(request, result, verdict_of, cancel)
        result = self._stream_answer(request, emit, cancel)
        if not op.rewrite_like:
            return result
        kind = op.name if op.name in ("translate",) else "custom"

        def judged(text: str) -> Verdict:
            return judge(request.text, text, operation=kind, target_language=request.language)

        result = replace(result, verdict=judged(result.text))
        return self._with_alternatives(request, result, judged, cancel)

    def _with_alternatives(
        self, request: Request, result: Result, verdict_of: Callable[[str], Verdict], cancel: threading.Event
    ) -> Result:
        """Other clean answers (engine/fidelity/alternatives.py), sampled in one batch where
        the server does batches, else one request each."""
        verdict = result.verdict
        if request.alternatives <= 1 or cancel.is_set() or verdict is None or not offerable(verdict):
            return result
        sampled = replace(request, temperature=rewriting.TEMPERATURE, alternatives=0)
        batch: list[Result] = []
        asked: list[bool] = []
        words: dict[str, tuple[WordConfidence, ...]] = {}  # each sample's, where the server gave them

        def sample(seed: int) -> str:
            if not asked:
                asked.append(True)
                count = TRIES_PER_ALTERNATIVE * (request.alternatives - 1)
                answer = self._stream_answer(
                    replace(sampled, seed=seed), _ignore, cancel, n=count, others=batch
                )
            elif batch:
                answer = batch.pop(0)
            else:
                answer = self._stream_answer(replace(sampled, seed=seed), _ignore, cancel)
            words.setdefault(answer.text, answer.confidence)
            return answer.text

        found = gather_alternatives(
            result.text,
            request.text,
            [],
            sample,
            verdict_of,
            request.alternatives,
            cancel,
            lambda text: close_to(request.text, text, request.style),
        )
        words[result.text] = result.confidence  # the chosen answer's own, read already
        chosen = tuple(Alternative(text, v, words.get(text, ())) for text, v in found)
        return replace(result, alternatives=chosen)

    def _summarize(self, request: Request, emit: Callable[[str], None], cancel: threading.Event) -> Result:
        """The server's summary when its verdict is clean and every sentence of it is
        supported by the text (engine/fidelity/summaries.py); else the text's own sentences."""
        notices: list[str] = []
        extracted = summaries.extract(request.text)
        summary = extracted
        result: Result | None = None
        if len(request.text) <= MODEL_SUMMARY_CHARS:
            result = self._stream_answer(request, lambda _delta: None, cancel)
            if cancel.is_set():
                return result
            candidate, why = summaries.from_model(request.text, result.text)
            if candidate is not None:
                summary = candidate
            else:
                notices.append(
                    f"The server's summary was set aside ({why}); these are the text's own sentences."
                )
                emit(Notice(notices[-1]))
        emit(summary.text)
        base = result or Result.empty(request.job_id, self._info, "end_of_answer")
        return replace(
            base,
            text=summary.text,
            verdict=judge(request.text, summary.text, operation="summarize"),
            sources=summary.sentences,
            notices=tuple(notices),
        )

    def _stream_answer(
        self,
        request: Request,
        emit: Callable[[str], None],
        cancel: threading.Event,
        n: int = 1,
        others: list[Result] | None = None,
    ) -> Result:
        """One answer, streamed through `emit`. With `n` > 1 the server is asked for that
        many sampled answers in one batch (vLLM gives them; llama.cpp and Ollama give one):
        the first streams, the others are cleaned into `others`."""
        if self._info is None or self._model is None:
            raise ModelLoadError("No server model is loaded yet.")
        started = time.perf_counter()
        op = self._catalog.validate(request)
        prompt = render_for_server(request, op, self._catalog)
        body: dict[str, Any] = {
            "model": self._model,
            "stream": True,
            "max_tokens": request.max_new_tokens or op.max_new_tokens,
            "temperature": request.temperature,
            "stream_options": {"include_usage": True},
        }
        if request.temperature > 0:
            body["top_p"] = request.top_p
            if request.seed is not None:
                body["seed"] = request.seed
        if n > 1:
            body["n"] = n
        if request.confidence:  # llama.cpp and vLLM report them; a server that does not, gives none
            if prompt.form == "chat":
                body["logprobs"], body["top_logprobs"] = True, ALTERNATIVES
            else:
                body["logprobs"] = ALTERNATIVES
        prefix = request.answer_prefix  # the writer chose a word: the answer goes on from it
        if prompt.form == "chat":
            endpoint, body["messages"] = "chat/completions", chat_messages(request, op, self._catalog)
            if prefix:  # the answer begun (llama.cpp takes a last assistant message so; vLLM is told)
                body["messages"].append({"role": "assistant", "content": prefix})
                body["continue_final_message"], body["add_generation_prompt"] = True, False
        else:
            endpoint, body["prompt"] = "completions", completion_text(request, op) + prefix
        cleaner = OutputCleaner(
            CleanerOptions(
                rewrite_like=op.rewrite_like,
                stop_at_blank_line=prompt.stop_at_blank_line,
                strip_leading_space=prompt.strip_leading_space and not prefix,
                strip_preamble=op.name != "continue" and not prefix,
            )
        )
        delivered: list[str] = []
        raw: list[str] = []
        tokens: list[TokenLogprob] = []
        extra: dict[int, list[str]] = {}  # the other sampled answers' raw pieces, by index
        extra_tokens: dict[int, list[TokenLogprob]] = {}
        first_at: float | None = None
        last_at = started
        pieces = 0
        usage: dict[str, Any] = {}
        finish = ""

        def send(delta: str) -> None:
            if delta and not cancel.is_set():
                delivered.append(delta)
                emit(delta)

        send(prefix)
        try:
            with (
                self._client() as client,
                client.stream(
                    "POST", f"{self._base}/{endpoint}", json=body, headers=self._headers()
                ) as response,
            ):
                with self._lock:
                    self._response = response
                if cancel.is_set():
                    response.close()
                if response.status_code != 200:
                    raise GenerationError(self._status_error(response, f"model {self._model!r}"))
                for event in self._events(response):
                    if cancel.is_set() or (cleaner.stopped and n == 1):
                        break
                    if "error" in event:
                        raise GenerationError(f"The server reported an error: {event['error']}")
                    usage = event.get("usage") or usage
                    choices = event.get("choices") or []
                    if not choices:
                        continue
                    for other in choices:
                        index = other.get("index") or 0
                        if index:
                            extra.setdefault(index, []).append(_piece(other, prompt.form))
                            if request.confidence:
                                extra_tokens.setdefault(index, []).extend(_logprobs(other.get("logprobs")))
                    choice = next((c for c in choices if not c.get("index")), None)
                    if choice is None:
                        continue
                    text = _piece(choice, prompt.form)
                    finish = choice.get("finish_reason") or finish
                    if request.confidence:
                        tokens.extend(_logprobs(choice.get("logprobs")))
                    if text:
                        now = time.perf_counter()
                        first_at = first_at or now
                        last_at = now
                        pieces += 1
                        raw.append(text)
                        send(cleaner.feed(text))
        except httpx.HTTPError as exc:
            if not cancel.is_set():
                raise GenerationError(self._transport_error(exc)) from exc
        finally:
            with self._lock:
                self._response = None
        if not cancel.is_set():
            send(cleaner.finish())
        text = "".join(delivered)
        new_tokens = int(usage.get("completion_tokens") or pieces)
        first = first_at or time.perf_counter()
        if cancel.is_set():
            reason = "cancelled"
        elif cleaner.stopped:
            reason = "end_of_answer"
        else:
            reason = {"stop": "eos", "length": "length"}.get(finish, finish or "eos")
        result = Result(
            job_id=request.job_id,
            text=text,
            raw_text="".join(raw),
            prompt_tokens=int(usage.get("prompt_tokens") or 0),
            new_tokens=new_tokens,
            ttft_ms=(first - started) * 1000.0,
            tokens_per_s=(pieces - 1) / (last_at - first) if pieces > 1 and last_at > first else 0.0,
            stop_reason=reason,
            model=self._info.name,
            device=self._info.device,
            confidence=tuple(from_tokens(text, tokens)) if tokens and reason != "cancelled" else (),
        )
        if others is not None and reason != "cancelled":
            for index in sorted(extra):
                other = OutputCleaner(cleaner.options)
                other_text = other.feed("".join(extra[index])) + other.finish()
                other_tokens = extra_tokens.get(index)
                words = tuple(from_tokens(other_text, other_tokens)) if other_tokens else ()
                others.append(
                    replace(result, text=other_text, raw_text="".join(extra[index]), confidence=words)
                )
        return result

    def _events(self, response: httpx.Response) -> Iterator[dict[str, Any]]:
        """Server-sent events as JSON objects; a stream that is not one is an error."""
        content_type = response.headers.get("content-type", "")
        if "text/event-stream" not in content_type and "application/x-ndjson" not in content_type:
            if "json" in content_type:  # a whole answer instead of a stream
                raise GenerationError(
                    f"The server answered without streaming; {self._where()} may not be OpenAI-compatible."
                )
            raise GenerationError(
                f"{self._where()} does not look like an OpenAI-compatible server "
                f"(it answered with {content_type or 'no content type'})."
            )
        saw_done = False
        for line in response.iter_lines():
            if not line or line.startswith(":"):
                continue
            if not line.startswith("data:"):
                continue  # event:, id:, retry: lines carry nothing we need
            data = line[5:].strip()
            if data == "[DONE]":
                saw_done = True
                break
            try:
                event = json.loads(data)
            except ValueError:
                raise GenerationError(f"The server sent an event that is not JSON: {data[:80]!r}") from None
            if not isinstance(event, dict):
                raise GenerationError(f"The server sent an event that is not an object: {data[:80]!r}")
            yield event
        if not saw_done:
            raise GenerationError("The server's stream stopped before the end of the answer.")


def _piece(choice: dict[str, Any], form: str) -> str:
    """The text one streamed choice adds (chat deltas, or completions' text)."""
    text = (choice.get("delta") or {}).get("content") if form == "chat" else None
    if text is None:
        text = choice.get("text") or ""
    return str(text)


def _logprobs(data: Any) -> list[TokenLogprob]:
    """A streamed choice's tokens with their logprobs, in either of the two shapes the
    OpenAI API has: chat's `content` list, or completions' parallel lists; [] for none."""
    if not isinstance(data, dict):
        return []
    out: list[TokenLogprob] = []
    try:
        if isinstance(data.get("content"), list):
            for item in data["content"]:
                top = tuple((str(t["token"]), float(t["logprob"])) for t in item.get("top_logprobs") or ())
                out.append(TokenLogprob(str(item["token"]), float(item["logprob"]), top))
        elif isinstance(data.get("tokens"), list):
            tops = data.get("top_logprobs") or [None] * len(data["tokens"])
            for token, logprob, top in zip(data["tokens"], data["token_logprobs"], tops, strict=False):
                pairs = tuple((str(k), float(v)) for k, v in (top or {}).items())
                out.append(TokenLogprob(str(token), float(logprob), pairs))
    except (KeyError, TypeError, ValueError):
        return []  # a shape we do not know: no confidence rather than a wrong one
    return out


def _ignore(_text: str) -> None:
    """A sink for answers that are judged before anything is shown."""
