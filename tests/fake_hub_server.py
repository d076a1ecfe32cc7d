"""A loopback stand-in for the Hugging Face hub's download API, for download tests.

Model hubs are unreachable here, so the real `huggingface_hub.snapshot_download` is
pointed at this server (its `endpoint` argument). It serves one repository from a dict of
files: the revision, the file tree, and the files themselves, sent in small chunks with a
pause between them so a test can watch progress and cancel half-way.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlparse

SHA = "0123456789abcdef0123456789abcdef01234567"


class FakeHub:
    def __init__(self, repo_id: str, files: dict[str, bytes], chunk: int = 4096, pause: float = 0.0) -> None:
        self.repo_id = repo_id
        self.files = files
        self.chunk = chunk
        self.pause = pause
        self.requests: list[str] = []
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_HEAD(self) -> None:
                self._serve(body=False)

            def do_GET(self) -> None:
                self._serve(body=True)

            def _json(self, data: object) -> None:
                raw = json.dumps(data).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def _serve(self, body: bool) -> None:
                path = unquote(urlparse(self.path).path)
                hub.requests.append(f"{self.command} {path}")
                repo = hub.repo_id
                if path in (f"/api/models/{repo}/revision/main", f"/api/models/{repo}"):
                    siblings = [{"rfilename": name} for name in hub.files]
                    self._json({"id": repo, "modelId": repo, "sha": SHA, "siblings": siblings})
                    return
                if path.startswith(f"/api/models/{repo}/tree/"):
                    self._json(
                        [
                            {"type": "file", "path": name, "size": len(data), "oid": hub.oid(name)}
                            for name, data in hub.files.items()
                        ]
                    )
                    return
                prefix = f"/{repo}/resolve/"
                if path.startswith(prefix):
                    name = path[len(prefix) :].split("/", 1)[1]
                    data = hub.files.get(name)
                    if data is None:
                        self.send_response(404)
                        self.send_header("X-Error-Code", "EntryNotFound")
                        self.end_headers()
                        return
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(data)))
                    self.send_header("ETag", f'"{hub.oid(name)}"')
                    self.send_header("X-Repo-Commit", SHA)
                    self.end_headers()
                    if body:
                        try:
                            for start in range(0, len(data), hub.chunk):
                                self.wfile.write(data[start : start + hub.chunk])
                                self.wfile.flush()
                                if hub.pause:
                                    time.sleep(hub.pause)
                        except (BrokenPipeError, ConnectionResetError):
                            pass
                    return
                self.send_response(404)
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def oid(self, name: str) -> str:
        return hashlib.sha1(self.files[name]).hexdigest()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> FakeHub:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
