"""Generation speed against llama.cpp and plain `transformers`, in one run.

    .venv/bin/python benchmarks/speed.py [--runs 5] [--lengths 150,1000,2000]

For prompts of about 150, 1000 and 2000 tokens and 128 greedy new tokens, three
engines run the same token ids with the same thread count, alternating A B C A B C:
  engine     Inkwell's default path (the fast CPU decoder), through the engine thread
  reference  `transformers` `generate` in float32 (what the exact path runs)
  llama.cpp  llama-cpp-python on the same GGUF file
Each run starts from an empty KV cache. Also measured, in fresh processes: the cold
load (first conversion), the one-time build of the compiled decode step (the app does it
in the background), the cached load, and the peak RSS of a writer's process (load plus
one generation). Quality: perplexity of the prefill path and of decoding token by token
(through the compiled step) against float32 `transformers`, and greedy agreement on the
standard prompts. Prints JSON with medians, minimums and ratios of paired runs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from engine.fastpath.threads import engine_threads  # noqa: E402
from tests.standard_prompts import OPERATIONS, source_for  # noqa: E402

NEW_TOKENS = 128
BENCH_OPERATION = f"""
[operations.bench]
label = "Benchmark"
rewrite_like = false
stop_at_blank_line = false
stop_on_loop = false
min_new_tokens = {NEW_TOKENS}
max_new_tokens = {NEW_TOKENS}
chat = "Continue this essay with a long, detailed paragraph.\\n\\n{{text}}"
"""


def passage(tokenizer, target: int) -> str:
    """Held-out prose, repeated to reach about `target` prompt tokens."""
    text = (ROOT / "benchmarks" / "data" / "heldout.txt").read_text(encoding="utf-8")
    words = text.split()
    out: list[str] = []
    while len(tokenizer(" ".join(out), add_special_tokens=False).input_ids) < target - 60:
        out.extend(words[: max(8, (target - 60) // 4)])
        words = words[len(out) % len(words) :] + words[: len(out) % len(words)]
    ids = tokenizer(" ".join(out), add_special_tokens=False).input_ids[: target - 60]
    return tokenizer.decode(ids)


# -- the child processes: load time and a writer's peak memory ---------------------


def child(mode: str, cache: str) -> None:
    os.environ["INKWELL_CACHE_DIR"] = cache
    started = time.perf_counter()
    import main

    main.configure_environment()
    from engine.factory import create_local_engine
    from engine.jobs import Request
    from engine.models.spec import ModelSpec

    compile_step = "build" if mode == "compile" else "use"
    engine = create_local_engine(precision="fast", compile_step=compile_step).start()
    info = engine.load(ModelSpec.bundled()).result()
    loaded = time.perf_counter()
    backend = engine._backend
    engine.submit(lambda: None).result()  # the compiled step is attached just after the load
    result = {
        "load_s": info.load_seconds,
        "start_to_ready_s": loaded - started,
        "start_to_compiled_step_s": time.perf_counter() - started if backend.compiled else None,
        "cache": info.cache,
        "compiled_step": backend.compiled,
    }
    if mode == "compile":  # what `main.py prepare` does: the CPU plan, then the step for its kernels
        import io

        from engine.cli import prepare

        engine.close()
        printed = io.StringIO()
        code = prepare([], out=printed)
        result = {"compile_s": round(time.perf_counter() - loaded, 1), "compiled_step": code == 0}
        result["prepare"] = printed.getvalue().strip().splitlines()
        print(json.dumps(result))
        return
    if mode == "generate":

        async def one() -> None:
            stream = engine.stream(
                Request("proofread", "The meeting was postponed because alot of them was sick.")
            )
            await stream.text()

        asyncio.run(one())
    engine.close()
    result["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(result))


def peak_rss_mb() -> float:
    """This process's own peak resident set: VmHWM, which starts afresh at exec. (Linux's
    ru_maxrss does not: a child started from this benchmark, which holds a 512 MB tensor
    for the bandwidth figure, reported the parent's 736 MB as its own peak.)"""
    try:
        for line in Path("/proc/self/status").read_text(encoding="utf-8").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def memory_bandwidth_gb_s() -> float:
    """Read bandwidth with the app's thread count: summing a 512 MB tensor, best of five."""
    import torch

    data = torch.ones(128 * 2**20)  # 512 MB of float32
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        float(data.sum())
        best = min(best, time.perf_counter() - started)
    return round(data.numel() * 4 / best / 1e9, 1)


def machine() -> dict:
    """What a speed figure means: the CPU, its instruction set, threads, memory speed."""
    import torch

    from engine.fastpath import cpu_plan

    return {
        "cpu": cpu_plan.cpu_model(),
        "capability": torch.backends.cpu.get_cpu_capability(),
        "threads": engine_threads(),
        "memory_read_gb_s": memory_bandwidth_gb_s(),
        "torch": torch.__version__,
        "date": time.strftime("%Y-%m-%d"),
    }


def decode_weight_bytes(fast) -> int:
    """The bytes one decode step reads: every layer's matrices and the output matrix."""
    total = 0
    for layer in fast.layers:
        for linear in (layer.qkv, layer.out, layer.gate_up, layer.down):
            total += sum(t.numel() * t.element_size() for t in linear.tensors().values())
    return total + sum(t.numel() * t.element_size() for t in fast.lm_head.tensors().values())


def cpu_plan_of(candidate) -> dict:
    from engine.fastpath import cpu_plan

    plan = cpu_plan.current(candidate.backend._loader.compiled_dir)
    return {"decode": plan.decode, "prefill": plan.prefill, "source": plan.source, "timings": plan.timings_us}


class Busy:
    """A second process keeping one core busy (a browser next to Inkwell), bounded in time."""

    def __init__(self, seconds: float = 3600) -> None:
        code = f"import time\nend = time.time() + {seconds}\nwhile time.time() < end:\n    pass\n"
        self.process = subprocess.Popen([sys.executable, "-c", code])

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()


def run_child(mode: str, cache: str) -> dict:
    proc = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--cache", cache],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


# -- the three engines -----------------------------------------------------------


class InkwellEngine:
    name = "engine"

    def __init__(self, cache: str) -> None:
        from engine.factory import create_local_engine
        from engine.models.spec import ModelSpec
        from engine.prompting.templates import Catalog

        catalog = Catalog.from_toml(BENCH_OPERATION, base=Catalog.default())
        self.engine = create_local_engine(precision="fast", catalog=catalog, cache_dir=Path(cache)).start()
        self.info = self.engine.load(ModelSpec.bundled()).result()
        self.backend = self.engine._backend

    def prompt_ids(self, text: str) -> list[int]:
        from engine.jobs import Request

        prompt = self.engine.render(Request("bench", text)).result()
        return self.backend.encode(prompt)[0].tolist()

    def run(self, text: str) -> tuple[float, float, int]:
        from engine.jobs import Request

        self.engine.submit(self.backend.loaded.fast.forget).result()

        async def go():
            stream = self.engine.stream(Request("bench", text))
            await stream.text()
            return stream.result

        result = asyncio.run(go())
        return result.ttft_ms, result.tokens_per_s, result.new_tokens

    def close(self) -> None:
        self.engine.close()


class ReferenceEngine:
    name = "reference"

    def __init__(self, folder: Path) -> None:
        import torch
        from transformers import AutoModelForCausalLM

        self.torch = torch
        self.model = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32).eval()

    def run(self, ids: list[int]) -> tuple[float, float, int]:
        from transformers.generation.streamers import BaseStreamer

        stamps: list[float] = []

        class Clock(BaseStreamer):
            def put(self, value):
                stamps.append(time.perf_counter())

            def end(self):
                pass

        started = time.perf_counter()
        with self.torch.inference_mode():
            self.model.generate(
                self.torch.tensor([ids]),
                max_new_tokens=NEW_TOKENS,
                min_new_tokens=NEW_TOKENS,
                do_sample=False,
                streamer=Clock(),
            )
        first, last = stamps[1], stamps[-1]  # stamps[0] is the prompt
        return (first - started) * 1000, (len(stamps) - 2) / (last - first), len(stamps) - 1


class LlamaCppEngine:
    name = "llama.cpp"

    def __init__(self, gguf: Path, threads: int, context: int) -> None:
        import llama_cpp

        from tests.serve_llama_cpp import disable_extra_buffers

        disable_extra_buffers()  # the AMX workaround (shared/KNOWN.md)
        self.version = llama_cpp.__version__
        self.llm = llama_cpp.Llama(
            model_path=str(gguf),
            n_ctx=context,
            n_threads=threads,
            n_threads_batch=threads,
            n_batch=512,
            verbose=False,
        )

    def run(self, ids: list[int]) -> tuple[float, float, int]:
        started = time.perf_counter()
        stamps: list[float] = []
        self.llm.reset()
        for _token in self.llm.generate(ids, top_k=1, top_p=1.0, temp=0.0, reset=True):
            stamps.append(time.perf_counter())
            if len(stamps) == NEW_TOKENS:
                break
        first, last = stamps[0], stamps[-1]
        return (first - started) * 1000, (len(stamps) - 1) / (last - first), len(stamps)


def quality(engine: InkwellEngine, reference: ReferenceEngine) -> dict:
    """Perplexity on held-out prose, and greedy agreement on the standard prompts."""
    import math

    from engine.jobs import Request

    torch = reference.torch
    tokenizer = engine.backend.loaded.tokenizer
    text = (ROOT / "benchmarks" / "data" / "heldout.txt").read_text(encoding="utf-8")
    ids = tokenizer(text, add_special_tokens=False).input_ids[:768]

    def ppl(logits) -> float:
        logp = torch.log_softmax(logits[:-1].float(), dim=-1)
        target = torch.tensor(ids[1:])
        return math.exp(-logp[torch.arange(len(target)), target].mean().item())

    fast = engine.backend.loaded.fast

    def on_engine(call):
        """The reference computes on the engine thread too: one thread with a full OpenMP
        team per process (engine/fastpath/threads.py), or both would crawl."""

        def inference():
            with torch.inference_mode():
                return call()

        return engine.engine.submit(inference).result()

    exact_ppl = on_engine(lambda: ppl(reference.model(torch.tensor([ids])).logits[0]))
    with torch.inference_mode():
        fast_ppl = engine.engine.submit(lambda: ppl(fast.forward(ids, 0, every_position=True))).result()
    engine.engine.submit(fast.forget).result()

    def stepwise() -> float:
        """Token by token through the decode step (the compiled one when it is attached)."""
        with torch.inference_mode():
            fast.forget()
            rows = [fast.run(ids[:8])] + [fast.step(token) for token in ids[8:399]]
            fast.forget()
        logp = torch.log_softmax(torch.stack(rows).float(), dim=-1)
        target = torch.tensor(ids[8:400])
        return math.exp(-logp[torch.arange(len(target)), target].mean().item())

    with torch.inference_mode():
        exact_tail = on_engine(lambda: reference.model(torch.tensor([ids[:400]])).logits[0, 7:399])
        logp = torch.log_softmax(exact_tail.float(), dim=-1)
        target = torch.tensor(ids[8:400])
        exact_stepwise = math.exp(-logp[torch.arange(len(target)), target].mean().item())
    engine_stepwise = engine.engine.submit(stepwise).result()
    identical, prefix_share = 0, []
    for operation, extra in OPERATIONS:
        request = Request(operation, source_for(operation), max_new_tokens=64, **extra)
        prompt = engine.engine.render(request).result()
        prompt_ids = engine.backend.encode(prompt)

        async def go(request=request):
            stream = engine.engine.stream(request)
            await stream.text()
            return stream.result

        fast_tokens = list(asyncio.run(go()).token_ids)
        if not fast_tokens:  # proofreading judges edits and decodes no answer to compare
            continue
        count = len(fast_tokens)
        exact = on_engine(
            lambda prompt_ids=prompt_ids, count=count: reference.model.generate(
                prompt_ids, max_new_tokens=count, do_sample=False, min_new_tokens=1
            )[0, prompt_ids.shape[1] :].tolist()
        )
        same = next(
            (i for i, (a, b) in enumerate(zip(fast_tokens, exact, strict=False)) if a != b),
            min(len(fast_tokens), len(exact)),
        )
        identical += fast_tokens == exact
        prefix_share.append(same / max(1, len(fast_tokens)))
    return {
        "perplexity_exact": round(exact_ppl, 3),
        "perplexity_engine": round(fast_ppl, 3),
        "perplexity_exact_400": round(exact_stepwise, 3),
        "perplexity_engine_decode_steps_400": round(engine_stepwise, 3),
        "decode_steps_ratio": round(engine_stepwise / exact_stepwise, 4),
        "perplexity_ratio": round(fast_ppl / exact_ppl, 4),
        "standard_prompts_compared": len(prefix_share),
        "greedy_identical_outputs": identical,
        "greedy_matching_prefix_mean": round(statistics.mean(prefix_share), 3),
    }


def continue_reuse(engine: InkwellEngine) -> dict:
    """Time to first token for Continue, cold and then again at the same place."""
    from engine.jobs import Request

    text = passage(engine.backend.loaded.tokenizer, 600)
    engine.engine.submit(engine.backend.loaded.fast.forget).result()

    async def go():
        stream = engine.engine.stream(Request("continue", text, max_new_tokens=16))
        await stream.text()
        return stream.result

    cold, warm = asyncio.run(go()), asyncio.run(go())
    return {
        "prompt_tokens": cold.prompt_tokens,
        "first_ttft_ms": round(cold.ttft_ms, 1),
        "second_ttft_ms": round(warm.ttft_ms, 1),
        "second_reused_tokens": warm.reused_tokens,
    }


def summarize(samples: list[tuple[float, float, int]]) -> dict:
    ttft = [s[0] for s in samples]
    rate = [s[1] for s in samples]
    return {
        "ttft_ms": {"median": round(statistics.median(ttft), 1), "min": round(min(ttft), 1)},
        "decode_tokens_per_s": {"median": round(statistics.median(rate), 2), "max": round(max(rate), 2)},
        "new_tokens": samples[0][2],
    }


def paired(a: list, b: list, index: int) -> float:
    return round(statistics.median(x[index] / y[index] for x, y in zip(a, b, strict=True)), 3)


# -- one process per engine -------------------------------------------------------
# Each engine runs in its own process: in one process, torch and llama.cpp (or two
# threads driving torch) keep separate OpenMP thread teams that spin and steal the two
# cores from each other, which measures the harness, not the engines.


def worker(kind: str, cache: str) -> None:
    import main as inkwell_main

    inkwell_main.configure_environment()

    from engine.fastpath.threads import use_engine_threads
    from engine.models.spec import bundled_model_path

    if kind != "engine":
        use_engine_threads()  # transformers and llama.cpp compute on this (main) thread
    if kind == "engine":
        candidate = InkwellEngine(cache)
        tokenizer = candidate.backend.loaded.tokenizer
    elif kind == "reference":
        (folder,) = (Path(cache) / "converted").iterdir()
        candidate = ReferenceEngine(folder)
    else:
        candidate = LlamaCppEngine(bundled_model_path(), engine_threads(), 4096)
    print(json.dumps({"ready": True, "version": getattr(candidate, "version", "")}), flush=True)
    for line in sys.stdin:
        command = json.loads(line)
        if command["do"] == "quit":
            break
        if command["do"] == "prepare":  # the engine renders the prompt all three run
            text = passage(tokenizer, command["target"])
            reply = {"text": text, "ids": candidate.prompt_ids(text)}
        elif command["do"] == "run":
            sample = candidate.run(command["text"]) if kind == "engine" else candidate.run(command["ids"])
            reply = {"sample": sample}
        elif command["do"] == "extras":
            reply = {
                "continue_kv_reuse": continue_reuse(candidate),
                "precision": candidate.info.precision,
                "compiled_step": candidate.backend.compiled,
                "cpu_plan": cpu_plan_of(candidate),
                "decode_weight_bytes": decode_weight_bytes(candidate.backend.loaded.fast),
            }
        print(json.dumps(reply), flush=True)
    if kind == "engine":
        candidate.close()
    os._exit(0)  # skip interpreter teardown of native thread pools


def quality_worker(cache: str) -> None:
    import main as inkwell_main

    inkwell_main.configure_environment()
    (folder,) = (Path(cache) / "converted").iterdir()
    engine = InkwellEngine(cache)
    try:
        report = quality(engine, ReferenceEngine(folder))
    except Exception as exc:  # say why, and end: the engine thread would keep the process alive
        print(f"quality worker failed: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
        os._exit(1)
    engine.close()
    print(json.dumps(report), flush=True)
    os._exit(0)


class Worker:
    def __init__(self, kind: str, cache: str) -> None:
        self.kind = kind
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--worker", kind, "--cache", cache],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.hello = self._read()

    def _read(self) -> dict:
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the {self.kind} worker stopped")
        return json.loads(line)

    def ask(self, **command: object) -> dict:
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        return self._read()

    def close(self) -> None:
        try:
            self.process.stdin.write(json.dumps({"do": "quit"}) + "\n")
            self.process.stdin.flush()
        except BrokenPipeError:
            pass
        self.process.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--lengths", default="150,1000,2000")
    parser.add_argument("--child")
    parser.add_argument("--worker")
    parser.add_argument("--cache")
    parser.add_argument("--no-llama", action="store_true", help="skip llama.cpp (not installed)")
    parser.add_argument(
        "--no-reference",
        action="store_true",
        help="skip float32 transformers (under --busy it takes most of an hour)",
    )
    parser.add_argument("--busy", action="store_true", help="a second process keeps one core busy")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.cache)
        return
    if args.worker == "quality":
        quality_worker(args.cache)
        return
    if args.worker:
        worker(args.worker, args.cache)
        return

    report: dict = {
        "machine": machine(),
        "threads": engine_threads(),
        "new_tokens": NEW_TOKENS,
        "runs": args.runs,
        "busy": args.busy,
    }
    with tempfile.TemporaryDirectory(prefix="inkwell-speed-") as cache:
        report["cold_load"] = run_child("load", cache)  # converts, then builds the fast weights
        report["decode_step_compile"] = run_child("compile", cache)  # once per machine, in the background
        cached = [run_child("load", cache) for _ in range(3)]
        report["cached_load"] = {
            "load_s_median": round(statistics.median(c["load_s"] for c in cached), 3),
            "start_to_ready_s_median": round(statistics.median(c["start_to_ready_s"] for c in cached), 3),
            "start_to_compiled_step_s_median": round(
                statistics.median(c["start_to_compiled_step_s"] or 0 for c in cached), 3
            ),
            "cache": [c["cache"] for c in cached],
            "compiled_step": [c["compiled_step"] for c in cached],
        }
        report["writer_process_peak_rss_mb"] = round(run_child("generate", cache)["peak_rss_mb"], 1)

        kinds = (
            ["engine"]
            + ([] if args.no_reference else ["reference"])
            + ([] if args.no_llama else ["llama.cpp"])
        )
        workers = {kind: Worker(kind, cache) for kind in kinds}
        if "llama.cpp" in workers:
            report["llama_cpp_version"] = workers["llama.cpp"].hello["version"]
        results = {}
        busy = Busy() if args.busy else None
        try:
            for target in (int(n) for n in args.lengths.split(",")):
                prompt = workers["engine"].ask(do="prepare", target=target)
                samples: dict[str, list] = {kind: [] for kind in kinds}
                for round_index in range(args.runs + 1):  # the first round warms up
                    for kind in kinds:
                        time.sleep(0.3)  # let the previous engine's threads go idle
                        sample = workers[kind].ask(do="run", text=prompt["text"], ids=prompt["ids"])["sample"]
                        if round_index:
                            samples[kind].append(sample)
                entry: dict = {"prompt_tokens": len(prompt["ids"])}
                entry.update({kind: summarize(values) for kind, values in samples.items()})
                ratios = {}
                if "reference" in samples:
                    ratios["engine_vs_reference_decode"] = paired(samples["engine"], samples["reference"], 1)
                    ratios["engine_vs_reference_ttft"] = paired(samples["engine"], samples["reference"], 0)
                if "llama.cpp" in samples:
                    ratios["engine_vs_llama_cpp_decode"] = paired(samples["engine"], samples["llama.cpp"], 1)
                    ratios["engine_vs_llama_cpp_ttft"] = paired(samples["engine"], samples["llama.cpp"], 0)
                entry["ratios"] = ratios
                results[str(target)] = entry
                print(json.dumps({target: entry}), file=sys.stderr, flush=True)
            extras = workers["engine"].ask(do="extras")
        finally:
            if busy is not None:
                busy.stop()
            for each in workers.values():
                each.close()
        report["engine_precision"] = extras["precision"]
        report["cpu_plan"] = extras["cpu_plan"]
        decode = results[min(results, key=int)]["engine"]["decode_tokens_per_s"]["median"]
        report["decode_weights_gb_s"] = round(extras["decode_weight_bytes"] * decode / 1e9, 1)
        report["decode_weights_share_of_memory_read"] = round(
            report["decode_weights_gb_s"] / report["machine"]["memory_read_gb_s"], 2
        )
        report["engine_compiled_step"] = extras["compiled_step"]
        report["prompts"] = results
        report["continue_kv_reuse"] = extras["continue_kv_reuse"]
        quality_run = subprocess.run(
            [sys.executable, __file__, "--worker", "quality", "--cache", cache],
            capture_output=True,
            text=True,
        )
        if quality_run.returncode == 0:
            report["quality"] = json.loads(quality_run.stdout.strip().splitlines()[-1])
        else:  # the speed figures still count; say what failed
            report["quality"] = {"error": quality_run.stderr.strip().splitlines()[-1:]}
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
