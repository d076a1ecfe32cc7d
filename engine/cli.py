"""The headless command line: `python main.py run OPERATION [options] [FILE|-]`.

Other tools and our own checks rely on this contract: plain text streamed to standard
output, or with `--json` one JSON object per line (`chunk` events, then one `done` or
`error`). Errors exit non-zero with one clear line on standard error. Requests are
checked before the model loads, so a bad request fails in well under a second.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO, cast

from engine.asking import answers
from engine.documents import long_summary, review
from engine.errors import GenerationError, InkwellError, InputError
from engine.jobs import Notice, Request, Result, Revision
from engine.models.device import DEVICES, DTYPES
from engine.models.spec import DEFAULT_FIRST_BYTE_TIMEOUT, LoadSpec, ModelSpec, ServerSpec
from engine.prompting.templates import Catalog
from engine.prompting.user_prompts import load_catalog
from engine.settings import PROMPTS_FILE, default_config_dir

if TYPE_CHECKING:
    from engine.backends.local import LocalBackend

EXIT_ERROR = 1
EXIT_USAGE = 2
MAX_ALTERNATIVES = 10  # each costs a few sampled answers


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one clear line, then exit 2
        self.exit(EXIT_USAGE, f"inkwell: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="inkwell run", description="Run one writing operation on a local model.")
    parser.add_argument(
        "operation",
        help="rewrite, proofread, continue, summarize, translate, draft, custom, ask (--question about "
        "the file), one of your own, or review (every paragraph of the file, as a unified diff)",
    )
    parser.add_argument("file", nargs="?", default="-", help="text file to read, or - for standard input")
    parser.add_argument(
        "--operation",
        dest="review_operation",
        default="proofread",
        help="for review: the operation to run on every paragraph (default proofread)",
    )
    styles = ", ".join(Catalog.default().get("rewrite").styles)
    parser.add_argument("--style", help=f"rewrite style: {styles}")
    parser.add_argument("--language", help="target language for translate")
    parser.add_argument("--instruction", help="the instruction for custom")
    parser.add_argument("--question", help="for ask: the question about the file")
    parser.add_argument("--model", help="bundled (default), a model folder, a .gguf file or a hub id")
    parser.add_argument("--device", default="auto", choices=DEVICES)
    parser.add_argument("--dtype", default="auto", choices=DTYPES)
    parser.add_argument(
        "--precision",
        default="fast",
        choices=["fast", "exact"],
        help="fast: quantized lean decoder on the CPU (default); exact: float32 transformers",
    )
    parser.add_argument("--server", help="URL of an OpenAI-compatible server (vLLM, llama.cpp, Ollama)")
    parser.add_argument("--server-model", help="model name on the server (default: the first it lists)")
    parser.add_argument("--api-key-env", help="environment variable that holds the server's API key")
    parser.add_argument(
        "--first-byte-timeout",
        type=float,
        default=DEFAULT_FIRST_BYTE_TIMEOUT,
        help=f"seconds to wait for the server's first byte (default {DEFAULT_FIRST_BYTE_TIMEOUT:g})",
    )
    parser.add_argument("--max-new-tokens", type=int, dest="max_new_tokens")
    parser.add_argument("--temperature", type=float, default=0.0, help="0 (default) is greedy")
    parser.add_argument("--seed", type=int, help="random seed for sampling")
    parser.add_argument("--json", action="store_true", help="one JSON event per line")
    parser.add_argument(
        "--alternatives",
        type=int,
        default=0,
        metavar="N",
        help=f"a rewrite: up to N answers with clean verdicts, the chosen one first (1-{MAX_ALTERNATIVES})",
    )
    parser.add_argument(
        "--operation-file",
        "--prompts",
        type=Path,
        dest="operation_file",
        help="a TOML file of prompt templates or your own operations, laid over the defaults "
        "and over prompts.toml in the config folder",
    )
    parser.add_argument(
        "--allow-download", action="store_true", help="let a hub id be downloaded when online"
    )
    return parser


def read_text(source: str, stdin: TextIO) -> str:
    """Read the input as text, refusing files that are not text."""
    if source == "-":
        data = stdin.buffer.read() if hasattr(stdin, "buffer") else stdin.read().encode()
        name = "standard input"
    else:
        path = Path(source)
        if not path.is_file():
            raise InputError(f"No such file: {source}")
        data = path.read_bytes()
        name = path.name
    if b"\x00" in data:
        raise InputError(f"{name} is not a text file (it contains NUL bytes).")
    for encoding in ("utf-8-sig",):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            pass
    raise InputError(f"{name} is not UTF-8 text.")


def _emit_json(out: TextIO, event: dict[str, object]) -> None:
    out.write(json.dumps(event, ensure_ascii=False) + "\n")
    out.flush()


def _engine(args: argparse.Namespace, catalog: Catalog) -> tuple[Any, LoadSpec]:
    from engine.factory import create_local_engine, create_remote_engine

    spec: LoadSpec
    if args.server:
        spec = ServerSpec(
            args.server,
            model=args.server_model or "",
            api_key_env=args.api_key_env or "",
            first_byte_timeout=args.first_byte_timeout,
        )
        engine = create_remote_engine(catalog).start()
    else:
        spec = ModelSpec.parse(args.model, allow_download=args.allow_download)
        engine = create_local_engine(
            device=args.device,
            dtype=args.dtype,
            precision=args.precision,
            catalog=catalog,
            compile_step="detach",  # a faster step is prepared for the next run
        ).start()
    return engine, spec


async def _load(engine: Any, spec: LoadSpec) -> None:
    """Load the model, saying on standard error what the writer should know about it."""
    info = await asyncio.wrap_future(engine.load(spec))
    if info.device_fallback:
        print(f"inkwell: warning: {info.device_reason}", file=sys.stderr)
    if info.precision_note:
        print(f"inkwell: note: {info.precision_note}", file=sys.stderr)
    if engine._backend is not None and engine._backend.preparing:
        print(
            "inkwell: note: a faster decode step for this CPU is being prepared in the "
            "background (about a minute, once); this run uses the eager one.",
            file=sys.stderr,
        )
    if info.warning:
        print(f"inkwell: warning: {info.warning}", file=sys.stderr)


def done_event(result: Result) -> dict[str, object]:
    """The `done` line of `--json`: the answer, its verdict and, for a summary, where each
    of its sentences came from."""
    return {
        "event": "done",
        "text": result.text,
        "prompt_tokens": result.prompt_tokens,
        "new_tokens": result.new_tokens,
        "ttft_ms": round(result.ttft_ms, 1),
        "tokens_per_s": round(result.tokens_per_s, 2),
        "model": result.model,
        "device": result.device,
        "stop_reason": str(result.stop_reason),
        "missing_facts": list(result.missing_facts),
        "edits": list(result.edits),
        "flags": [flag.as_json() for flag in result.flags],  # inclusive wording, never applied
        "confidence": [word.as_json() for word in result.confidence],
        "verdict": result.verdict.as_json() if result.verdict is not None else None,
        "alternatives": [alternative.as_json() for alternative in result.alternatives],
        "notices": list(result.notices),
        "warning": result.warning,
        "sentences": [
            {
                "start": s.start,
                "end": s.end,
                "text": result.text[s.start : s.end],
                "sources": [{"start": a, "end": b} for a, b in s.sources],
            }
            for s in result.sources
        ],
    }


async def _stream(args: argparse.Namespace, request: Request, catalog: Catalog, out: TextIO) -> int:
    """Plain mode streams to a terminal; into a pipe or a file it writes only the final
    text, so an answer that is replaced never lands there."""
    engine, spec = _engine(args, catalog)
    live = not args.json and out.isatty()
    try:
        await _load(engine, spec)
        stream = engine.stream(request)
        async for delta in stream:
            if isinstance(delta, Notice):
                print(f"inkwell: {delta}", file=sys.stderr)
                if args.json:
                    _emit_json(out, {"event": "notice", "text": str(delta)})
            elif args.json:
                kind = "revision" if isinstance(delta, Revision) else "chunk"
                _emit_json(out, {"event": kind, "text": delta})
            elif live and isinstance(delta, Revision):
                print("\ninkwell: a better answer replaces the one above:", file=sys.stderr)
                out.write("\n" + delta)
                out.flush()
            elif live:
                out.write(delta)
                out.flush()
        result = stream.result
        assert result is not None
        if not result.text.strip():
            raise GenerationError("The model produced no text for this input. Try again or rephrase it.")
        if result.warning:
            print(f"inkwell: warning: {result.warning}", file=sys.stderr)
        if result.verdict is not None and result.verdict.problems():
            print("inkwell: check: " + "; ".join(result.verdict.problems()), file=sys.stderr)
        if args.json:
            event = done_event(result)
            if request.operation == "ask":  # the paragraphs the answer came from, with offsets
                spans = [span for sentence in result.sources for span in sentence.sources]
                event["sources"] = answers.cited(request.text, spans)
            _emit_json(out, event)
        else:
            out.write(("" if live else result.text) + "\n")
            for number, alternative in enumerate(result.alternatives[1:], start=2):
                out.write(f"\n-- alternative {number} of {len(result.alternatives)} --\n{alternative.text}\n")
            out.flush()
        return 0
    finally:
        engine.close()


async def _review(
    args: argparse.Namespace, text: str, make_request: Any, catalog: Catalog, out: TextIO
) -> int:
    """`run review`: the operation on every paragraph; a unified diff, or JSON lines."""
    items = review.paragraphs(text)
    if not items:
        raise InputError("There is no paragraph to review in this text.")
    engine, spec = _engine(args, catalog)
    name = "standard input" if args.file == "-" else Path(args.file).name
    outcomes: list[review.Outcome] = []
    started = time.perf_counter()
    try:
        await _load(engine, spec)
        review_pass = review.ReviewPass(engine, items, make_request)
        async for outcome in review_pass.run():
            outcomes.append(outcome)
            paragraph = outcome.paragraph
            print(
                f"inkwell: paragraph {paragraph.index + 1} of {len(items)}: {outcome.status}",
                file=sys.stderr,
            )
            if args.json:
                _emit_json(
                    out,
                    {
                        "event": "paragraph",
                        "index": paragraph.index,
                        "start": paragraph.start,
                        "end": paragraph.end,
                        "status": str(outcome.status),
                        "original": paragraph.text,
                        "suggestion": outcome.suggestion,
                        "message": outcome.message,
                        # prompt tokens read from the cache: the instructions, after the first
                        "reused_tokens": outcome.result.reused_tokens if outcome.result else 0,
                    },
                )
    finally:
        engine.close()
    changed = sum(outcome.status is review.Status.CHANGED for outcome in outcomes)
    if args.json:
        _emit_json(
            out,
            {
                "event": "done",
                "paragraphs": len(items),
                "changed": changed,
                "failed": sum(outcome.status is review.Status.FAILED for outcome in outcomes),
                "seconds": round(time.perf_counter() - started, 2),
            },
        )
    else:
        out.write(review.unified_diff(text, outcomes, name))
        out.flush()
    return 0


async def _long_summary(
    args: argparse.Namespace, text: str, make_request: Any, catalog: Catalog, out: TextIO
) -> int:
    """`run summarize` on a text longer than one request reads well: summarise its parts,
    then combine them (engine/documents/long_summary.py); progress on standard error, the final
    summary streamed to standard output."""
    if not long_summary.split_parts(text):  # a bad input fails before the model loads
        raise InputError("There is nothing to summarize in this text.")
    engine, spec = _engine(args, catalog)
    summary = long_summary.LongSummary(engine, text, make_request)
    started = time.perf_counter()
    final: list[str] = []
    try:
        await _load(engine, spec)
        async for event in summary.run():
            if isinstance(event, long_summary.Progress):
                print(f"inkwell: {event.describe()}", file=sys.stderr)
                if args.json:
                    stage = "part" if event.level == 0 else "combining"
                    _emit_json(
                        out,
                        {
                            "event": "progress",
                            "stage": stage,
                            "level": event.level,
                            "done": event.done,
                            "total": event.total,
                        },
                    )
                continue
            final.append(event)
            if args.json:
                _emit_json(out, {"event": "chunk", "text": event})
            else:
                out.write(event)
                out.flush()
    finally:
        engine.close()
    if not "".join(final).strip():
        raise GenerationError("The model produced no summary for this text. Try again.")
    if args.json:
        _emit_json(
            out,
            {
                "event": "done",
                "text": "".join(final),
                "parts": len(summary.parts),
                "requests": summary.requests,
                "failed": summary.failed,
                "seconds": round(time.perf_counter() - started, 2),
            },
        )
    else:
        out.write("\n")
        out.flush()
    return 0


def prepare(argv: list[str], out: TextIO = sys.stdout) -> int:
    """`main.py prepare`: measure the CPU plan and build the compiled decode step now, for
    scripted installs (the window and the CLI otherwise do it in the background)."""
    from engine.factory import create_local_engine
    from engine.fastpath import cpu_plan, step_choice

    parser = _Parser(prog="main.py prepare", description=prepare.__doc__)
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds to wait for the build")
    args = parser.parse_args(argv)
    engine = create_local_engine(compile_step="build").start()
    try:
        backend = cast("LocalBackend", engine._backend)
        ready = False
        for _attempt in range(2):  # the plan measured by the first build may pick other kernels
            engine.load(ModelSpec.bundled()).result(timeout=600)
            waiting = engine.submit(lambda: backend.wait_for_compiled(args.timeout))
            ready = waiting.result(timeout=args.timeout + 60)
            plan = cpu_plan.current(backend._loader.compiled_dir)
            if backend.loaded.fast is None or backend.loaded.fast.kinds[0] == plan.decode:
                break
        out.write(f"CPU plan: {plan.describe()}\n")
        out.write("compiled decode step: " + ("ready\n" if ready else "not built (see the log)\n"))
        choice = step_choice.cached(backend._loader.compiled_dir)
        if choice is not None:  # timed where both the native and the compiled step run
            out.write(f"decode step: {choice.describe()}\n")
        return 0 if ready else 1
    finally:
        engine.close(timeout=30)


def run(argv: list[str], stdin: TextIO = sys.stdin, out: TextIO = sys.stdout) -> int:
    args = build_parser().parse_intermixed_args(argv)
    try:
        catalog, problems = load_catalog(default_config_dir() / PROMPTS_FILE, args.operation_file)
        for problem in problems:
            print(f"inkwell: warning: {problem}", file=sys.stderr)
        text = read_text(args.file, stdin)
        if not 0 <= args.alternatives <= MAX_ALTERNATIVES:
            raise InputError(f"--alternatives takes a number from 1 to {MAX_ALTERNATIVES}.")
        if args.alternatives and not catalog.get(args.operation).rewrite_like:
            raise InputError(f"--alternatives is for operations that rewrite a text, not {args.operation}.")

        def make_request(text: str, operation: str = args.operation) -> Request:
            request = Request(
                operation=operation,
                text=text,
                style=args.style,
                language=args.language,
                instruction=args.question if operation == "ask" and args.question else args.instruction,
                confidence=bool(args.json),  # each word's probability in `done`
                alternatives=args.alternatives,
                max_new_tokens=args.max_new_tokens,
                temperature=args.temperature,
                seed=args.seed,
            )
            catalog.validate(request)
            return request

        if args.operation == "review":
            if not catalog.get(args.review_operation).rewrite_like:
                raise InputError(
                    f"A review runs an operation that rewrites text in place ({args.review_operation} "
                    "does not): try proofread or rewrite --style clearer."
                )
            make_request("Check.", args.review_operation)  # a bad request fails before the load
            return asyncio.run(
                _review(
                    args,
                    text,
                    lambda paragraph: make_request(paragraph.text, args.review_operation),
                    catalog,
                    out,
                )
            )
        if (
            args.operation == "summarize"
            and catalog.get("summarize").pipeline != "extract"
            and len(text) > long_summary.PART_CHARS
        ):
            return asyncio.run(_long_summary(args, text, make_request, catalog, out))
        return asyncio.run(_stream(args, make_request(text), catalog, out))
    except InkwellError as exc:
        if args.json:
            _emit_json(out, {"event": "error", "message": exc.message})
        print(f"inkwell: error: {exc.message}", file=sys.stderr)
        return EXIT_ERROR
    except Exception as exc:  # still one clear line, never a traceback wall
        message = f"unexpected failure: {type(exc).__name__}: {exc}"
        if args.json:
            _emit_json(out, {"event": "error", "message": message})
        print(f"inkwell: error: {message}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("inkwell: interrupted", file=sys.stderr)
        return 130
