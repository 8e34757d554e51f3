#!/usr/bin/env python3
"""One-command developer entry point for the loyalty backend (standard library only).

Usage:
    python3 dev.py demo  [ARGS...]   set up .venv, then run `loyalty demo ARGS...`
    python3 dev.py serve [ARGS...]   set up .venv, then run `loyalty serve ARGS...`
    python3 dev.py test  [ARGS...]   set up .venv, then run every check; ARGS go to pytest
                                     (the suite on memory:// in two halves, and WIRE_SUITE at
                                     the same time through a dev store; or on
                                     LOYALTY_TEST_MONGODB_URI instead)
    python3 dev.py lock              regenerate requirements.lock with uv

Set-up creates .venv when it is missing and installs requirements.lock plus the project
(editable) with uv (pinned, installed into .venv by pip; pip itself when uv cannot be had). It
is skipped when .venv/.dev-stamp holds the sha256 of requirements.lock and
pyproject.toml. Needs only Python 3.11+ (and network access to PyPI for the first run).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shlex
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
LOCK = ROOT / "requirements.lock"
PYPROJECT = ROOT / "pyproject.toml"
STAMP = VENV / ".dev-stamp"
CONTRACT_CHECK = ROOT.parent / "shared" / "tools" / "contract_check.py"
WINDOWS = os.name == "nt"
BIN = VENV / ("Scripts" if WINDOWS else "bin")
EXE = ".exe" if WINDOWS else ""
LOCK_COMMAND = [
    "pip",
    "compile",
    "--quiet",
    "pyproject.toml",
    "--extra",
    "test",
    "--universal",
    "--python-version",
    "3.11",
    "--custom-compile-command",
    "python3 dev.py lock",
    "-o",
    "requirements.lock",
]

# The tests run a second time through `loyalty devstore` (PyMongo's AsyncMongoClient over the
# wire protocol): the repositories and the GraphQL API. Unit tests touch no database; the
# e2e, security and fault suites exercise the same repositories as these.
WIRE_SUITE = [
    "tests/store",
    "tests/api",
    # A thousand-operation history per operation kind: minutes through the dev store, and its
    # guard (the ledger's operation index) is the same query on both stores.
    "--ignore=tests/api/test_exactly_once_any_age.py",
    # The HTTP and GraphQL edge (parsing, limits, headers, logs, traces, uploads, wording): their
    # database work is creating a tenant, which every other API test does over the wire too.
    *(
        f"--ignore=tests/api/test_{name}.py"
        for name in (
            "http_conformance",
            "request_errors",
            "input_errors",
            "websocket_auth",
            "websocket_limits",
            "websocket_operation_limits",
            "limits",
            "limit_messages",
            "json_logs",
            "tracing",
            "metrics",
            "console_static",
            "service",
            "smoke",
            "points_name_words",
            "how_it_works",
            "demo_banner",
            "app_theme_http_cache",
            "upload_app_icon",
            "upload_streaming",
            "money_minor_units",
        )
    ),
]
TEST_URI_VARIABLE = "LOYALTY_TEST_MONGODB_URI"
UV_VERSION = "0.13.9"  # installs the lock (set-up) and writes it (`lock`)
# The memory:// suite in two halves of about equal time, run at the same time as the wire run:
# three pytest processes keep both cores busy (the browser, multi-process and fault-kill tests
# spend much of their time waiting on processes they started). Three parts were tried: the
# four processes then compete for the two cores, and the whole took 40 s longer.
MEMORY_SHARDS = [
    ["tests/api", "tests/security", "tests/faults"],
    ["tests", "--ignore=tests/api", "--ignore=tests/security", "--ignore=tests/faults"],
]

USAGE = """\
usage: python3 dev.py {demo,serve,test,lock} [ARGS...]

commands:
  demo   set up .venv, then run `loyalty demo` (extra ARGS are passed through)
  serve  set up .venv, then run `loyalty serve` (e.g. --host H --port P --workers N)
  test   set up .venv, then run ruff, ruff format --check, mypy, export-schema --check,
         the shared contract check (when ../shared/tools/contract_check.py exists)
         and pytest (extra ARGS go to pytest): on memory:// in two halves, and at the same time
         tests/store and tests/api through a dev store on a free loopback port; with
         LOYALTY_TEST_MONGODB_URI set, once against that server instead
  lock   regenerate requirements.lock with uv (installed into .venv)
"""


class StepFailed(Exception):
    def __init__(self, what: str, code: int) -> None:
        super().__init__(f"{what} failed with exit code {code}")
        self.what = what
        self.code = code


def say(message: str) -> None:
    print(f"[dev] {message}", flush=True)


def venv_tool(name: str) -> Path:
    return BIN / f"{name}{EXE}"


def venv_python() -> Path:
    return venv_tool("python")


def child_env() -> dict[str, str]:
    """The environment of the commands run here: the venv's tools first on PATH."""
    env = dict(os.environ)
    env.pop("PYTHONHOME", None)
    env["VIRTUAL_ENV"] = str(VENV)
    env["PATH"] = os.pathsep.join([str(BIN), env.get("PATH", "")])
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    # Bytecode is cached under .venv, never beside the sources: the tests start dozens of
    # Python processes (servers, workers, dev stores), and compiling the project for each one
    # cost half a second of CPU; pytest's rewritten test modules are cached there too.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(VENV / "pycache")
    return env


def shown(argv: Sequence[str | os.PathLike[str]]) -> str:
    """argv as a short command line: venv tools by name, other paths relative to the root."""
    parts: list[str] = []
    for arg in argv:
        text = os.fspath(arg)
        if isinstance(arg, Path):
            if arg.parent == BIN:
                text = arg.name.removesuffix(EXE)
            elif arg.is_relative_to(ROOT):
                text = os.fspath(arg.relative_to(ROOT))
            else:
                text = os.path.relpath(arg, ROOT)
        parts.append(text)
    return shlex.join(parts)


def run(
    what: str, argv: Sequence[str | os.PathLike[str]], env: dict[str, str] | None = None
) -> None:
    """Run argv from the project root; raise StepFailed on a non-zero exit."""
    code = subprocess.run([os.fspath(a) for a in argv], cwd=ROOT, env=env or child_env()).returncode
    if code != 0:
        raise StepFailed(what, code)


@contextmanager
def devstore() -> Iterator[str]:
    """`loyalty devstore` on a free loopback port (it prints the URI it listens on)."""
    argv = [os.fspath(venv_tool("loyalty")), "devstore", "--host", "127.0.0.1", "--port", "0"]
    process = subprocess.Popen(
        argv,
        cwd=ROOT,
        env=child_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    try:
        if not line.startswith("devstore listening on "):
            raise StepFailed("devstore start", process.wait(10) or 1)
        yield line.rsplit(" ", 1)[-1]
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def fingerprint() -> str:
    digest = hashlib.sha256()
    for path in (LOCK, PYPROJECT):
        digest.update(path.name.encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def ensure_venv() -> None:
    if venv_python().exists():
        return
    say(f"creating {VENV.name} with {sys.executable}")
    run("python -m venv", [sys.executable, "-m", "venv", VENV])


def setup() -> None:
    """Create .venv and install the locked dependencies and the project, unless up to date."""
    for path in (LOCK, PYPROJECT):
        if not path.exists():
            say(f"missing {path.name}")
            raise StepFailed("setup", 1)
    ensure_venv()
    wanted = fingerprint()
    current = STAMP.read_text(encoding="utf-8").strip() if STAMP.exists() else ""
    if current == wanted and venv_tool("loyalty").exists():
        say(f"{VENV.name} is up to date")
        return
    started = time.monotonic()
    try:
        install_with_uv()
    except StepFailed as failure:
        say(f"{failure.what} failed: installing with pip instead (about a minute)")
        install_with_pip()
    STAMP.write_text(wanted + "\n", encoding="utf-8")
    say(f"set-up done in {time.monotonic() - started:.1f}s")


def install_with_uv() -> None:
    """uv installs the lock in seconds where pip takes about a minute, most of it compiling
    bytecode for every installed module; uv leaves that to the first import, which writes it
    under PYTHONPYCACHEPREFIX (see child_env) for the modules actually used. uv does not read
    pip's configuration: a private index is given to it as UV_INDEX_URL."""
    python = venv_python()
    say(f"installing uv {UV_VERSION} into {VENV.name}")
    run("pip install uv", [python, "-m", "pip", "install", "-q", f"uv=={UV_VERSION}"])
    say(f"installing {LOCK.name} into {VENV.name} with uv")
    uv = [venv_tool("uv"), "pip", "install", "--quiet", "--python", python]
    run("uv pip install -r requirements.lock", [*uv, "-r", LOCK])
    say("installing the project (editable)")
    run("uv pip install -e .", [*uv, "--no-deps", "-e", ROOT])


def install_with_pip() -> None:
    python = venv_python()
    say(f"installing {LOCK.name} into {VENV.name} (first run may take a few minutes)")
    run("pip install -r requirements.lock", [python, "-m", "pip", "install", "-q", "-r", LOCK])
    say("installing the project (editable)")
    run("pip install -e .", [python, "-m", "pip", "install", "-q", "--no-deps", "-e", ROOT])


def exec_loyalty(args: Sequence[str]) -> int:
    """Replace this process with the venv's `loyalty` (a child process on Windows)."""
    argv = [os.fspath(venv_tool("loyalty")), *args]
    say("running loyalty " + " ".join(args))
    if WINDOWS:
        try:
            return subprocess.run(argv, cwd=ROOT, env=child_env()).returncode
        except KeyboardInterrupt:
            return 130
    os.chdir(ROOT)
    os.execve(argv[0], argv, child_env())


def cmd_demo(args: Sequence[str]) -> int:
    setup()
    return exec_loyalty(["demo", *args])


def cmd_serve(args: Sequence[str]) -> int:
    setup()
    return exec_loyalty(["serve", *args])


# pytest options whose next argument is a value, not a test to run.
VALUE_OPTIONS = {"--deselect", "--ignore", "--ignore-glob", "-k", "-m", "-p", "-o", "-c"}


def chosen_tests(args: Sequence[str]) -> list[str]:
    """The test files or node ids among pytest's arguments (none: the default selection)."""
    chosen = []
    for before, arg in zip(["", *args], args, strict=False):
        if before in VALUE_OPTIONS or arg.startswith("-"):
            continue
        if (ROOT / arg.split("::")[0]).exists():
            chosen.append(arg)
    return chosen


def cmd_test(args: Sequence[str]) -> int:
    started = time.monotonic()
    setup()
    python = venv_python()
    steps: list[tuple[str, list[str | os.PathLike[str]]]] = [
        ("ruff check", [python, "-m", "ruff", "check", "."]),
        ("ruff format", [python, "-m", "ruff", "format", "--check", "."]),
        ("mypy", [python, "-m", "mypy"]),
        ("export-schema", [venv_tool("loyalty"), "export-schema", "--check"]),
    ]
    timings: list[str] = []
    for what, argv in steps:
        say(f"{what}: {shown(argv)}")
        step_started = time.monotonic()
        try:
            run(what, argv)
        except StepFailed as failure:
            total = time.monotonic() - started
            say(f"FAILED at {what} (exit {failure.code}) after {total:.1f}s")
            return failure.code
        timings.append(f"{what} {time.monotonic() - step_started:.1f}s")
    if CONTRACT_CHECK.exists():
        code = contract_gate(python)
        if code:
            say(f"FAILED at contract (exit {code})")
            return code
    else:
        say(f"no {CONTRACT_CHECK}: contract check skipped")
    pytest: list[str | os.PathLike[str]] = [python, "-m", "pytest"]
    if chosen_tests(args):
        memory = [[*pytest, *args]]
    else:
        memory = [[*pytest, *args, *shard] for shard in MEMORY_SHARDS]
    if os.environ.get(TEST_URI_VARIABLE):
        say(f"{TEST_URI_VARIABLE} is set: the suite runs once, against that server")
        wire: list[str | os.PathLike[str]] | None = None
    else:
        wire = [python, "-m", "pytest", *(args if chosen_tests(args) else [*args, *WIRE_SUITE])]
    failed = run_pytest(memory, wire, timings)
    total = time.monotonic() - started
    if failed:
        say(f"FAILED at {failed} after {total:.1f}s")
        return 1
    say(f"all checks OK in {total:.1f}s ({', '.join(timings)})")
    return 0


def run_pytest(
    memory: list[list[str | os.PathLike[str]]],
    wire: list[str | os.PathLike[str]] | None,
    timings: list[str],
) -> str:
    """Runs the memory:// runs and, with `wire`, the run through a dev store, all at the same
    time: the first run's output as it comes, the others' when they end. Returns what failed,
    or ""."""
    started = time.monotonic()
    with contextlib.ExitStack() as stack:
        env = child_env()
        runs: list[tuple[str, list[str | os.PathLike[str]], dict[str, str]]] = [
            (f"pytest {n + 1}/{len(memory)}" if len(memory) > 1 else "pytest", argv, env)
            for n, argv in enumerate(memory)
        ]
        if wire is not None:
            uri = stack.enter_context(devstore())
            runs.append(("over the wire", wire, {**env, TEST_URI_VARIABLE: uri}))
        outputs: list[IO[str] | None] = []
        processes: list[subprocess.Popen[bytes]] = []
        for n, (name, argv, run_env) in enumerate(runs):
            where = (
                f" ({TEST_URI_VARIABLE}={run_env[TEST_URI_VARIABLE]})"
                if name == "over the wire"
                else ""
            )
            say(f"{name}{where}: {shown(argv)}")
            output: IO[str] | None = None
            if n > 0:
                output = stack.enter_context(tempfile.TemporaryFile("w+"))
            outputs.append(output)
            processes.append(
                subprocess.Popen(
                    [os.fspath(a) for a in argv],
                    cwd=ROOT,
                    env=run_env,
                    stdout=output,
                    stderr=subprocess.STDOUT if output else None,
                )
            )
        try:
            codes = []
            for (name, _, _), process in zip(runs, processes, strict=True):
                codes.append(process.wait())
                timings.append(f"{name} {time.monotonic() - started:.1f}s")
        finally:
            for process in processes:
                if process.poll() is None:
                    process.kill()
                    process.wait()
        for (name, _, _), output in zip(runs[1:], outputs[1:], strict=True):
            assert output is not None
            output.seek(0)
            say(f"{name}: its output")
            print(output.read(), end="", flush=True)
    return " and ".join(name for (name, _, _), code in zip(runs, codes, strict=True) if code)


PENDING = ROOT / "contract_pending.txt"


def contract_gate(python: os.PathLike[str] | str) -> int:
    """Runs the shared contract check. Differences listed in contract_pending.txt (each with the
    open issue that will add it) are tolerated; any other difference fails, and so does a
    listed one that no longer appears, so the list can only shrink honestly."""
    say(f"contract: {shown([python, CONTRACT_CHECK])}")
    done = subprocess.run(
        [os.fspath(python), os.fspath(CONTRACT_CHECK)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=child_env(),
    )
    found = {
        line.strip()
        for line in done.stdout.splitlines()
        if line.strip() and not line.startswith("contract:")
    }
    pending = set()
    if PENDING.exists():
        for line in PENDING.read_text(encoding="utf-8").splitlines():
            text = line.split("#", 1)[0].strip()
            if text:
                pending.add(text)
    unexpected = sorted(found - pending)
    stale = sorted(pending - found)
    for line in unexpected:
        print(f"contract difference: {line}", file=sys.stderr)
    for line in stale:
        print(f"contract_pending.txt lists a difference that is gone: {line}", file=sys.stderr)
    if done.returncode not in (0, 1) or unexpected or stale:
        return 1
    say(f"contract: 0 unexpected differences ({len(found)} pending, see {PENDING.name})")
    return 0


def cmd_lock(args: Sequence[str]) -> int:
    if args:
        say("lock takes no arguments")
        return 2
    ensure_venv()
    python = venv_python()
    say("installing uv into .venv")
    run("pip install uv", [python, "-m", "pip", "install", "-q", f"uv=={UV_VERSION}"])
    say(f"uv {shlex.join(LOCK_COMMAND)}")
    run("uv pip compile", [venv_tool("uv"), *LOCK_COMMAND])
    say(f"wrote {LOCK.name}; the next set-up reinstalls from it")
    return 0


COMMANDS = {"demo": cmd_demo, "serve": cmd_serve, "test": cmd_test, "lock": cmd_lock}


def main(argv: Sequence[str]) -> int:
    if sys.version_info < (3, 11):  # noqa: UP036 - python3 on PATH may be older
        print("dev.py needs Python 3.11 or newer", file=sys.stderr)
        return 2
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(USAGE, end="", file=sys.stdout if argv else sys.stderr)
        return 0 if argv else 2
    command, args = argv[0], list(argv[1:])
    if command not in COMMANDS:
        print(USAGE, end="", file=sys.stderr)
        print(f"dev.py: error: unknown command {command!r}", file=sys.stderr)
        return 2
    if args[:1] == ["--"]:
        args = args[1:]
    try:
        return COMMANDS[command](args)
    except StepFailed as failure:
        say(str(failure))
        return failure.code
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
