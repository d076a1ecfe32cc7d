"""The llama.cpp OpenAI-compatible server (llama-cpp-python) for tests and benchmarks.

Run as a script, it serves (arguments as for `python -m llama_cpp.server`). Imported,
`start_llama_server()` starts one on a free loopback port and waits until it answers.
On AMX CPUs ggml's extra buffer types crash in the first prompt eval (shared/KNOWN.md);
turning them off before the model loads is the verified workaround.
"""

from __future__ import annotations

import runpy
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve()


def disable_extra_buffers() -> None:
    """Apply the AMX workaround to llama-cpp-python in this process."""
    import llama_cpp

    default_params = llama_cpp.llama_cpp.llama_model_default_params

    def safe_params():  # returns ggml's ctypes struct
        params = default_params()
        params.use_extra_bufts = False
        return params

    llama_cpp.llama_cpp.llama_model_default_params = safe_params
    llama_cpp.llama_model_default_params = safe_params


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_llama_server(model: Path, threads: int = 2, timeout: float = 120) -> tuple[subprocess.Popen, str]:
    """Start a server on 127.0.0.1; return the process and its base URL once it answers."""
    import httpx

    port = free_port()
    log = tempfile.NamedTemporaryFile(prefix="llama-server-", suffix=".log", delete=False)  # noqa: SIM115
    process = subprocess.Popen(
        [
            sys.executable,
            str(HERE),
            "--model",
            str(model),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--n_threads",
            str(threads),
            "--n_ctx",
            "4096",
            # it serves one stream at a time; by default a new request cuts the running one
            # off, so let them queue instead
            "--interrupt_requests",
            "False",
        ],
        stdout=log,
        stderr=log,  # a pipe nobody reads would fill up and stall the server
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                "The llama.cpp server did not start (is llama-cpp-python[server] installed? "
                f"`make test` installs it): {Path(log.name).read_text(errors='replace')[-500:]}"
            )
        try:
            if httpx.get(f"{url}/v1/models", timeout=1).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError(f"The llama.cpp server did not answer within {timeout:g} s.")


def stop_server(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=15)


if __name__ == "__main__":
    disable_extra_buffers()
    sys.argv = ["llama_cpp.server", *sys.argv[1:]]
    runpy.run_module("llama_cpp.server", run_name="__main__")
