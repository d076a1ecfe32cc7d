"""A tiny misbehaving OpenAI-style server on loopback, for what real servers will not do.

The first path segment picks the behaviour: /ok, /malformed, /cutoff, /slow, /html,
/unauthorized, /ratelimited, /broken, and /batch (honours `n` with a different answer
per choice, and `logprobs`, as vLLM does). Requests are bounded and it stops with the
test; the bodies it was sent are kept in `FakeServer.bodies`.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MODEL = "fake-model"


BATCH_ANSWERS = (
    "The meeting moved to Friday.",
    "The meeting was moved to Friday.",
    "The meeting moved to Friday at 9.",  # adds a time: its verdict is not clean
    "The meeting was moved to Friday.",  # the same as another
    "The meeting has moved to Friday.",
)
BODIES: list[dict] = []


def _chunk(text: str, index: int = 0, logprobs: bool = False) -> bytes:
    choice: dict = {"index": index, "delta": {"content": text}, "finish_reason": None}
    if logprobs:  # chat's shape: the token, its logprob, and the likeliest tokens there
        sure = -0.05 if text.strip() != "moved" else -1.6
        top = [{"token": text, "logprob": sure}, {"token": " shifted", "logprob": -1.9}]
        choice["logprobs"] = {"content": [{"token": text, "logprob": sure, "top_logprobs": top}]}
    event = {"choices": [choice]}
    return f"data: {json.dumps(event)}\n\n".encode()


def _words(text: str) -> list[str]:
    return [piece if i == 0 else " " + piece for i, piece in enumerate(text.split(" "))]


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # keep test output quiet
        pass

    def _send(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        behaviour = self.path.strip("/").split("/")[0]
        if behaviour == "html":
            self._send(200, b"<html><body>Welcome to nginx!</body></html>", "text/html")
        elif behaviour == "unauthorized" and self.headers.get("Authorization") != "Bearer right-key":
            self._send(401, json.dumps({"error": {"message": "Invalid API key"}}).encode())
        else:
            self._send(200, json.dumps({"object": "list", "data": [{"id": MODEL}]}).encode())

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        behaviour = self.path.strip("/").split("/")[0]
        BODIES.append(body)
        if behaviour == "ratelimited":
            self._send(429, json.dumps({"error": {"message": "Rate limit: 3 requests per minute"}}).encode())
            return
        if behaviour == "broken":
            self._send(503, json.dumps({"error": {"message": "model is still loading"}}).encode())
            return
        if behaviour == "unauthorized" and self.headers.get("Authorization") != "Bearer right-key":
            self._send(401, json.dumps({"error": {"message": "Invalid API key"}}).encode())
            return
        if behaviour == "slow":
            time.sleep(3)
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        if behaviour == "batch":
            logprobs = bool(body.get("logprobs"))
            for index in range(int(body.get("n") or 1)):
                for word in _words(BATCH_ANSWERS[index % len(BATCH_ANSWERS)]):
                    self.wfile.write(_chunk(word, index, logprobs))
            self.wfile.write(b"data: [DONE]\n\n")
            return
        if behaviour == "malformed":
            self.wfile.write(_chunk("Hello"))
            self.wfile.write(b"data: {this is not json\n\n")
            return
        words = ["The", " meeting", " moved", " to", " Friday", "."]
        if behaviour == "cutoff":
            for word in words[:3]:
                self.wfile.write(_chunk(word))
            self.wfile.flush()
            return  # the connection closes without [DONE]
        for word in words:
            self.wfile.write(_chunk(word))
        self.wfile.write(b"data: [DONE]\n\n")


class FakeServer:
    def __init__(self) -> None:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-openai")

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> FakeServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
