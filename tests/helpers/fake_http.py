"""A tiny HTTP server on 127.0.0.1 that answers as a test tells it to: a CalDAV server
gone wrong (errors, redirects in a loop or to another host, bodies that are not XML),
which Radicale cannot be made to be. ``answer(method, path, body) -> (status, headers,
body)``; every request is kept in ``requests`` as "METHOD path"."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Callable

Answer = Callable[[str, str, bytes], tuple[int, dict[str, str], bytes]]


class FakeHTTP:
    def __init__(self, answer: Answer):
        self.answer = answer
        self.requests: list[str] = []
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # quiet
                pass

            def handle_one_request(self) -> None:
                self.raw_requestline = self.rfile.readline(65537)
                if not self.raw_requestline or not self.parse_request():
                    self.close_connection = True
                    return
                size = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(size) if size else b""
                owner.requests.append(f"{self.command} {self.path}")
                status, headers, data = owner.answer(self.command, self.path, body)
                self.send_response(status)
                for name, value in {"Content-Length": str(len(data)), **headers}.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)
                self.wfile.flush()

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
