"""A fake Google OAuth + FCM v1 endpoint on 127.0.0.1, and a service-account file pointing at
it, so tests drive the real firebase-admin code over real HTTP."""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

PROJECT = "loyalty-test"

# (status, body, headers) served for a token, in order; the last one repeats.
Script = list[tuple[int, dict[str, Any], dict[str, str]]]
OK: Script = [(200, {"name": f"projects/{PROJECT}/messages/1"}, {})]


def fcm_error(status: int, grpc: str, fcm_code: str | None = None) -> dict[str, Any]:
    details = []
    if fcm_code:
        details = [
            {"@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", "errorCode": fcm_code}
        ]
    return {"error": {"code": status, "message": grpc.lower(), "status": grpc, "details": details}}


@dataclass
class FakeFcm:
    port: int = 0
    sent: list[dict[str, Any]] = field(default_factory=list)
    raw: list[bytes] = field(default_factory=list)  # each message request's body as sent
    auth_headers: list[str] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)  # of each message request
    scripts: dict[str, Script] = field(default_factory=dict)
    token_requests: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def fcm_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1/projects/{{0}}/messages:send"

    def reply_for(self, token: str) -> tuple[int, dict[str, Any], dict[str, str]]:
        with self.lock:
            script = self.scripts.get(token) or OK
            return script.pop(0) if len(script) > 1 else script[0]


def _handler(fake: FakeFcm) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as FCM: the client reuses connections

        def log_message(self, *args: Any) -> None:
            pass

        def _reply(self, status: int, body: dict[str, Any], headers: dict[str, str]) -> None:
            data = json.dumps(body).encode()
            if headers.get("Content-Encoding") == "gzip":  # as Google's front ends may answer
                data = gzip.compress(data)
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if self.path == "/token":
                with fake.lock:
                    fake.token_requests += 1
                self._reply(200, {"access_token": "fake-access", "expires_in": 3600}, {})
                return
            body = json.loads(raw)
            with fake.lock:
                fake.sent.append(body)
                fake.raw.append(raw)
                fake.auth_headers.append(self.headers.get("Authorization", ""))
                fake.headers.append({k.lower(): v for k, v in self.headers.items()})
            self._reply(*fake.reply_for(body["message"]["token"]))

    return Handler


def serve() -> Iterator[FakeFcm]:
    fake = FakeFcm()
    ThreadingHTTPServer.request_queue_size = 1024  # a batch opens up to 500 connections at once
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    fake.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


def service_account(directory: Path, fake: FakeFcm) -> Path:
    """A fresh RSA key; `token_uri` is the fake server, so no request leaves the machine."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    path = directory / "service-account.json"
    path.write_text(
        json.dumps(
            {
                "type": "service_account",
                "project_id": PROJECT,
                "private_key_id": "test-key",
                "private_key": pem,
                "client_email": f"push@{PROJECT}.iam.gserviceaccount.com",
                "client_id": "1",
                "token_uri": f"http://127.0.0.1:{fake.port}/token",
            }
        ),
        encoding="utf-8",
    )
    return path
