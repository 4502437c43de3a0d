"""Misbehaving Ollama servers on localhost, for the failure tests: one accepts connections and
never answers, one answers garbage. Each runs in a thread, serves only 127.0.0.1, and stops
when its ``with`` block ends."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MODEL = "llama3.1"


class _Garbage(BaseHTTPRequestHandler):
    """/api/tags lists the model; /api/chat answers 200 with text that is no JSON object."""

    def log_message(self, format: str, *args: object) -> None:
        return

    def _send(self, body: bytes, kind: str = "application/json") -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        self._send(json.dumps({"models": [{"name": f"{MODEL}:latest"}]}).encode())

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        reply = {
            "model": MODEL,
            "created_at": "2026-12-01T00:00:00Z",
            "message": {"role": "assistant", "content": "Sure! Here you go: <<<~~~>>> 42"},
            "done": True,
        }
        self._send(json.dumps(reply).encode())


@contextmanager
def garbage_server() -> Iterator[str]:
    """An Ollama-protocol server whose chat answers are garbage; yields its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Garbage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def hanging_server(held: list[socket.socket] | None = None) -> Iterator[str]:
    """A server that accepts every connection, reads the request, and never answers; yields
    its base URL. Connections are closed when the block ends; ``held``, when given, collects
    them as they arrive (a caller can wait for the first)."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    listener.settimeout(0.2)
    held = [] if held is None else held
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                continue
            held.append(connection)  # kept open, never answered

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(timeout=2)
        for connection in held:
            connection.close()
        listener.close()
