"""A dev store on a free loopback port, in this process, and PyMongo's client talking to it."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pymongo import MongoClient

from mongo.client import DRIVER_OPTIONS
from mongo.devstore.server import DevStore, build_engine

ROOT = Path(__file__).resolve().parents[2]


def connect(uri: str, **options: Any) -> MongoClient[dict[str, Any]]:
    """The driver configured as the product configures it (majority writes, retries)."""
    return MongoClient(uri, **{"serverSelectionTimeoutMS": 5000, **DRIVER_OPTIONS, **options})


@pytest.fixture
def store() -> Iterator[DevStore]:
    store = DevStore(build_engine(None), "127.0.0.1", 0)
    store.start()
    yield store
    store.stop()


@pytest.fixture
def client(store: DevStore) -> Iterator[MongoClient[dict[str, Any]]]:
    client = connect(f"mongodb://127.0.0.1:{store.port}/")
    yield client
    client.close()


class DevStoreProcess:
    """`loyalty devstore --data FILE` in a child process (so it can be killed with SIGKILL)."""

    def __init__(self, data: Path, *, quiet: bool = False) -> None:
        """`quiet`: its log is dropped (a long run would fill an unread pipe)."""
        self.process = subprocess.Popen(
            [sys.executable, "-m", "api.cli", "devstore", "--port", "0", "--data", str(data)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL if quiet else subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line.startswith("devstore listening on "):
            self.process.kill()
            log = "" if quiet or self.process.stderr is None else self.process.stderr.read()
            raise AssertionError(f"no dev store: {line!r} {log!r}")
        self.uri = line.split()[-1]

    def kill(self) -> None:
        self.process.kill()  # SIGKILL: no chance to flush or close anything
        self.process.wait(10)


@pytest.fixture
def processes() -> Iterator[list[DevStoreProcess]]:
    started: list[DevStoreProcess] = []
    yield started
    for one in started:
        if one.process.poll() is None:
            one.kill()
