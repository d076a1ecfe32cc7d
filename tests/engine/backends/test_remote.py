"""The server backend: a real llama.cpp server on loopback, and a misbehaving fake one."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from engine.backends.remote import RemoteBackend
from engine.engine import Engine
from engine.errors import GenerationError, ModelLoadError
from engine.jobs import Request
from engine.models.spec import ModelSpec, ServerSpec, bundled_model_path
from engine.prompting.templates import Catalog
from tests import serve_llama_cpp
from tests.conftest import PARAGRAPH, collect, run_async
from tests.fake_openai_server import FakeServer
from tests.standard_prompts import OPERATIONS, source_for

ROOT = Path(__file__).resolve().parents[3]


def start_llama_server() -> tuple[subprocess.Popen, str]:
    return serve_llama_cpp.start_llama_server(bundled_model_path())


stop = serve_llama_cpp.stop_server
free_port = serve_llama_cpp.free_port


@pytest.fixture(scope="module")
def llama_server() -> Iterator[str]:
    process, url = start_llama_server()
    yield url
    stop(process)


@pytest.fixture(scope="module")
def server_engine(llama_server: str) -> Iterator[Engine]:
    engine = Engine(RemoteBackend(Catalog.default())).start()
    engine.load(ServerSpec(llama_server)).result(timeout=30)
    yield engine
    assert engine.close(timeout=15)


# -- the real server -------------------------------------------------------------


def test_models_are_discovered(server_engine: Engine) -> None:
    backend = server_engine._backend
    assert backend.available_models and backend.available_models[0].endswith(".gguf")
    assert server_engine.info.kind == "server" and not server_engine.info.warning


@pytest.mark.parametrize(("operation", "extra"), OPERATIONS)
def test_every_operation_streams_through_the_server(
    server_engine: Engine, operation: str, extra: dict
) -> None:
    source = source_for(operation)
    deltas, result = run_async(collect(server_engine, Request(operation, source, max_new_tokens=80, **extra)))
    assert result.text.strip() and "".join(deltas) == result.text
    assert "<|" not in result.text and not result.text.lower().startswith(("sure", "here is"))
    assert result.new_tokens > 0 and result.ttft_ms > 0


def test_cancel_closes_the_stream_and_no_delta_follows(server_engine: Engine) -> None:
    async def scenario():
        stream = server_engine.stream(Request("draft", "the history of lighthouses", max_new_tokens=400))
        got = []
        started = time.perf_counter()
        async for delta in stream:
            got.append(delta)
            if len(got) == 3:
                stream.cancel()
        ended = time.perf_counter() - started
        _, follow = await collect(server_engine, Request("proofread", PARAGRAPH, max_new_tokens=30))
        return got, stream.result, ended, follow

    got, result, ended, follow = run_async(scenario())
    assert len(got) == 3 and result.cancelled and result.text == "".join(got)
    assert ended < 10  # 400 tokens would take several seconds more
    assert follow.text  # the server is free again at once


def test_a_model_the_server_does_not_have_is_named(llama_server: str) -> None:
    backend = RemoteBackend(Catalog.default())
    with pytest.raises(ModelLoadError, match=r"has no model named 'no-such-model'\. It offers: "):
        backend.load(ServerSpec(llama_server, model="no-such-model"))


def test_a_stopped_server_is_a_clear_error() -> None:
    backend = RemoteBackend(Catalog.default())
    with pytest.raises(ModelLoadError, match=r"connection refused\. Is it running"):
        backend.load(ServerSpec(f"http://127.0.0.1:{free_port()}"))


def test_a_server_killed_mid_stream_leaves_the_partial_text(llama_server: str) -> None:
    process, url = start_llama_server()
    engine = Engine(RemoteBackend(Catalog.default())).start()
    try:
        engine.load(ServerSpec(url)).result(timeout=30)

        async def scenario():
            stream = engine.stream(Request("draft", "the history of lighthouses", max_new_tokens=400))
            got = []
            with pytest.raises(GenerationError) as caught:
                async for delta in stream:
                    got.append(delta)
                    if len(got) == 3:
                        process.send_signal(signal.SIGKILL)
            return got, caught.value.message

        got, message = run_async(scenario())
        assert len(got) >= 3
        assert "broke off" in message or "stopped before the end" in message
    finally:
        engine.close(timeout=15)
        process.wait(timeout=15)


def cli(*args: str, stdin: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "run", *args],
        input=stdin.encode(),
        capture_output=True,
        timeout=300,
        cwd=ROOT,
        env=os.environ.copy(),
    )


@pytest.mark.model
def test_the_same_cli_command_runs_locally_and_through_the_server(llama_server: str, bundled_engine) -> None:
    summary = ("custom", "--instruction", "Summarize the text below in one sentence.")
    local = cli(*summary, "--json", "-", stdin=PARAGRAPH)
    remote = cli(*summary, "--json", "--server", llama_server, "-", stdin=PARAGRAPH)
    assert local.returncode == 0 and remote.returncode == 0, remote.stderr.decode()
    local_done = json.loads(local.stdout.decode().splitlines()[-1])
    remote_done = json.loads(remote.stdout.decode().splitlines()[-1])
    assert set(local_done) == set(remote_done)
    assert remote_done["device"].startswith("server 127.0.0.1")
    # Both are greedy on the same Q4_1 weights, but llama.cpp rounds activations to 8 bits
    # inside its dot products (the fast path keeps bfloat16) and renders the chat template
    # itself, so the words can part ways after a few tokens; both must be clean answers.
    for done in (local_done, remote_done):
        assert done["text"].strip() and "<|" not in done["text"]
        assert done["new_tokens"] > 0


def test_parallel_cli_requests_all_complete_unmixed(llama_server: str) -> None:
    texts = [
        f"Item {n}: the {word} was late again today."
        for n, word in enumerate(["bus", "train", "boat", "plane"])
    ]
    alone = [cli("proofread", "--server", llama_server, "-", stdin=text).stdout.decode() for text in texts]
    with ThreadPoolExecutor(max_workers=len(texts)) as pool:
        together = list(pool.map(lambda t: cli("proofread", "--server", llama_server, "-", stdin=t), texts))
    assert all(proc.returncode == 0 for proc in together)
    assert [proc.stdout.decode() for proc in together] == alone


# -- what real servers will not do: the fake server ----------------------------------


def fake_engine(url: str, **options) -> Engine:
    """An engine connected to the fake server at `url` (`options`: the ServerSpec's)."""
    engine = Engine(RemoteBackend(Catalog.default())).start()
    engine.load(ServerSpec(url, **options)).result(timeout=10)
    return engine


def test_the_fake_servers_good_stream_works() -> None:
    with FakeServer() as server, fake_engine(f"{server.url}/ok") as engine:
        deltas, result = run_async(collect(engine, Request("custom", "x", instruction="Summarize.")))
    assert result.text == "The meeting moved to Friday." and "".join(deltas) == result.text


def test_a_servers_proofread_keeps_only_small_corrections() -> None:
    """The fake server always answers "The meeting moved to Friday.": its fix of "too" is
    kept, its dropping of ", sadly" is not."""
    with FakeServer() as server, fake_engine(f"{server.url}/ok") as engine:
        source = "The meeting moved too Friday, sadly."
        deltas, result = run_async(collect(engine, Request("proofread", source)))
    assert result.text == "The meeting moved to Friday, sadly." and deltas == [result.text]
    assert result.edits == ("too→to",)


@pytest.mark.parametrize(
    ("behaviour", "message"),
    [
        ("malformed", "an event that is not JSON"),
        ("cutoff", "stopped before the end"),
        ("ratelimited", "busy (429, too many requests); try again shortly. The server said: Rate limit"),
        ("broken", "The server failed (503). The server said: model is still loading"),
    ],
)
def test_misbehaving_streams_are_clear_errors(behaviour: str, message: str) -> None:
    with (
        FakeServer() as server,
        fake_engine(f"{server.url}/{behaviour}") as engine,
        pytest.raises(GenerationError) as caught,
    ):
        run_async(collect(engine, Request("proofread", "x")), timeout=30)
    assert message in caught.value.message


def test_a_bad_or_missing_key_is_named(monkeypatch) -> None:
    with FakeServer() as server:
        url = f"{server.url}/unauthorized"
        monkeypatch.delenv("INKWELL_TEST_KEY", raising=False)
        with pytest.raises(ModelLoadError, match="INKWELL_TEST_KEY is not set"):
            RemoteBackend(Catalog.default()).load(ServerSpec(url, api_key_env="INKWELL_TEST_KEY"))
        monkeypatch.setenv("INKWELL_TEST_KEY", "wrong-key")
        with pytest.raises(ModelLoadError, match=r"refused the request \(401\): check the API key"):
            RemoteBackend(Catalog.default()).load(ServerSpec(url, api_key_env="INKWELL_TEST_KEY"))
        monkeypatch.setenv("INKWELL_TEST_KEY", "right-key")
        info = RemoteBackend(Catalog.default()).load(ServerSpec(url, api_key_env="INKWELL_TEST_KEY"))
        assert info.name == "fake-model"


def test_no_first_byte_in_time_is_a_clear_error() -> None:
    with (
        FakeServer() as server,
        fake_engine(f"{server.url}/slow", first_byte_timeout=0.5) as engine,
        pytest.raises(GenerationError, match=r"sent nothing for 0\.5 s"),
    ):
        run_async(collect(engine, Request("proofread", "x")), timeout=30)


def test_a_server_that_is_not_openai_compatible_is_named() -> None:
    with FakeServer() as server:
        backend = RemoteBackend(Catalog.default())
        with pytest.raises(ModelLoadError, match="does not look like an OpenAI-compatible server"):
            backend.load(ServerSpec(f"{server.url}/html"))


def test_plain_http_to_another_machine_warns() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"object": "list", "data": [{"id": "m"}]})

    transport = httpx.MockTransport(answer)
    remote = RemoteBackend(Catalog.default(), transport=transport)
    assert "plain http" in remote.load(ServerSpec("http://writers-gpu.example:8000")).warning
    assert remote.load(ServerSpec("http://127.0.0.1:8000")).warning == ""  # one backend, another server
    assert remote.load(ServerSpec("https://writers-gpu.example")).warning == ""
    with pytest.raises(ModelLoadError, match="not a local model"):
        remote.load(ModelSpec.bundled())
    assert remote.info is not None and remote.info.device == "server writers-gpu.example"  # still in use


def test_a_name_that_does_not_resolve_is_a_clear_error() -> None:
    backend = RemoteBackend(Catalog.default())
    with pytest.raises(ModelLoadError, match=r"could not be found \(DNS lookup failed\)"):
        backend.load(ServerSpec("http://no-such-host.invalid:8000"))


def test_a_servers_summary_is_used_only_when_the_text_supports_it() -> None:
    """The fake server always answers "The meeting moved to Friday."."""
    supported = (
        "The team met on Monday to plan the launch. The meeting moved to Friday because the room "
        "was busy on Thursday. Everyone agreed to bring the figures for the third quarter."
    )
    elsewhere = (
        "The garden needs water every evening in the summer. The roses grow best against the south "
        "wall, where the sun stays longest. The old apple tree gives more fruit than the family can eat."
    )
    with FakeServer() as server, fake_engine(f"{server.url}/ok") as engine:
        _deltas, used = run_async(collect(engine, Request("summarize", supported)))
        deltas, refused = run_async(collect(engine, Request("summarize", elsewhere)))
    assert used.text == "The meeting moved to Friday." and used.sources
    assert used.sources[0].sources == ((supported.index("The meeting"), supported.index(" Everyone")),)
    assert refused.text != "The meeting moved to Friday." and refused.text in elsewhere
    assert refused.notices and "set aside" in refused.notices[0]
    assert "".join(deltas) == refused.text


NOTES = "Team notes\n\nThe meeting moved to Friday. Anna brings the slides.\n\nThe budget is 4,000 euros."


def test_asking_through_a_server_keeps_its_checked_answer_with_sources() -> None:
    """The fake server answers "The meeting moved to Friday.", which the paragraph it was
    given says: its answer is kept and linked to that sentence."""
    with FakeServer() as server, fake_engine(f"{server.url}/ok") as engine:
        request = Request("ask", NOTES, instruction="When is the meeting?")
        deltas, result = run_async(collect(engine, request))
    assert result.text == "The meeting moved to Friday." and "".join(deltas) == result.text
    ((start, end),) = result.sources[0].sources
    assert NOTES[start:end] == "The meeting moved to Friday."


def test_asking_through_a_server_that_drops_the_stream_names_it_and_quotes() -> None:
    with FakeServer() as server, fake_engine(f"{server.url}/cutoff") as engine:
        request = Request("ask", NOTES, instruction="Who brings the slides?")
        _deltas, result = run_async(collect(engine, request), timeout=30)
    assert result.text == "Anna brings the slides."  # the document's own sentence
    assert "stopped before the end" in result.notices[0]


# -- alternatives and confidence through a server -----------------------------------


def test_a_servers_alternatives_come_in_one_batch_and_only_clean_different_ones() -> None:
    from tests import fake_openai_server

    fake_openai_server.BODIES.clear()
    source = "The meeting moved to Friday."
    with FakeServer() as server, fake_engine(f"{server.url}/batch") as engine:
        _deltas, result = run_async(
            collect(engine, Request("rewrite", source, style="clearer", alternatives=3))
        )
    texts = [alternative.text for alternative in result.alternatives]
    # the answer first; "at 9" invents a time and the repeat is the same answer: neither is offered
    assert texts == [source, "The meeting was moved to Friday.", "The meeting has moved to Friday."]
    assert all(a.verdict is not None and a.verdict.clean for a in result.alternatives)
    greedy, batch = fake_openai_server.BODIES
    assert "messages" in greedy and "messages" in batch  # the chat endpoint, as for any request
    assert "n" not in greedy and greedy["temperature"] == 0 and "logprobs" not in greedy
    assert batch["n"] == 6 and batch["temperature"] > 0  # one request for all the samples


def test_each_of_a_servers_alternatives_has_its_own_words_confidence() -> None:
    from tests import fake_openai_server

    fake_openai_server.BODIES.clear()
    source = "The meeting moved to Friday."
    request = Request("rewrite", source, style="clearer", alternatives=3, confidence=True)
    with FakeServer() as server, fake_engine(f"{server.url}/batch") as engine:
        _deltas, result = run_async(collect(engine, request))
    assert len(result.alternatives) == 3 and result.alternatives[0].confidence == result.confidence
    for alternative in result.alternatives:
        text, words = alternative.text, alternative.confidence
        assert [text[w.start : w.end] for w in words] == text.split()  # this answer's words, not another's
        assert {text[w.start : w.end] for w in words if w.p < 0.5} == ({"moved"} & set(text.split()))
        assert "confidence" in alternative.as_json()
    assert all(body.get("logprobs") for body in fake_openai_server.BODIES)  # the batch asked for them


def test_a_servers_logprobs_become_each_words_confidence() -> None:
    with FakeServer() as server, fake_engine(f"{server.url}/batch") as engine:
        _deltas, result = run_async(
            collect(engine, Request("custom", "x", instruction="Summarize.", confidence=True))
        )
    words = {result.text[w.start : w.end]: w for w in result.confidence}
    assert list(words) == ["The", "meeting", "moved", "to", "Friday."]
    assert abs(words["moved"].p - 0.2019) < 1e-3 and words["The"].p > 0.9
    ((other, p),) = words["moved"].alternatives  # the word itself is not its own alternative
    assert other == " shifted" and abs(p - 0.1496) < 1e-3


def test_a_server_without_logprobs_gives_no_confidence() -> None:
    with FakeServer() as server, fake_engine(f"{server.url}/ok") as engine:
        _deltas, result = run_async(
            collect(engine, Request("custom", "x", instruction="Summarize.", confidence=True))
        )
    assert result.text and result.confidence == ()


def test_llama_cpp_reports_logprobs_as_confidence(server_engine: Engine) -> None:
    request = Request("rewrite", PARAGRAPH, style="formal", max_new_tokens=60, confidence=True)
    _deltas, result = run_async(collect(server_engine, request))
    assert result.confidence, "llama.cpp's server returns logprobs"
    assert [result.text[w.start : w.end] for w in result.confidence] == result.text.split()
    assert all(0.0 < w.p <= 1.0 for w in result.confidence)
    assert any(w.alternatives for w in result.confidence)


def test_a_server_goes_on_from_the_word_the_writer_chose(server_engine: Engine) -> None:
    """llama.cpp takes a last assistant message as the start of the answer: the answer
    begins with the chosen words and goes on from them, not from the beginning."""
    prefix = "The meeting was delayed"
    request = Request("rewrite", PARAGRAPH, style="formal", max_new_tokens=60, answer_prefix=prefix)
    deltas, result = run_async(collect(server_engine, request))
    assert result.text.startswith(prefix) and "".join(deltas) == result.text
    rest = result.text[len(prefix) :]
    assert rest.strip() and prefix not in rest  # it went on, it did not start again
