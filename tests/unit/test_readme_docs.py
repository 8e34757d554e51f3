"""The README and .env.example say what the code does: every setting it reads, every option of
every `loyalty` command, and what LOYALTY_FCM_CREDENTIALS holds."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from api import cli

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
ENV_EXAMPLE = (ROOT / ".env.example").read_text(encoding="utf-8")
SETTINGS = (ROOT / "api" / "settings.py").read_text(encoding="utf-8")


def command_line_block() -> str:
    section = README.split("## Command line", 1)[1]
    return section.split("```", 2)[1]


def subcommands(parser: argparse.ArgumentParser, prefix: str = "") -> dict[str, list[str]]:
    """'token member' -> ['--tenant', '--member', '--ttl', '--kid', '--secret'], ..."""
    found: dict[str, list[str]] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                path = f"{prefix} {name}".strip()
                nested = subcommands(sub, path)
                if nested:
                    found.update(nested)
                else:
                    found[path] = [
                        option
                        for a in sub._actions
                        for option in a.option_strings
                        if option.startswith("--") and option != "--help"
                    ]
    return found


def test_every_setting_read_is_in_the_readme_and_the_env_example() -> None:
    # given every LOYALTY_ variable the settings read
    read = set(re.findall(r'env\("(LOYALTY_\w+)"', SETTINGS))
    assert "LOYALTY_RATE_LIMIT_SCALE" in read
    # then each has a row in the README's table and a line in .env.example
    assert {v for v in read if f"| `{v}` |" not in README} == set()
    assert {v for v in read if f"{v}=" not in ENV_EXAMPLE} == set()


def test_every_command_option_is_in_the_readme() -> None:
    # given the options of every `loyalty` subcommand (demo's --host, --port, --data, ...)
    block = command_line_block()
    # then the README's command-line block names each on its command's line
    lines = {line.split("#")[0] for line in block.splitlines()}
    missing = {}
    for command, options in subcommands(cli._parser()).items():
        line = next((ln for ln in lines if ln.startswith(f"loyalty {command} ")), None)
        if line is None and f"loyalty {command}" in lines:
            line = f"loyalty {command}"
        absent = [o for o in options if line is None or o not in line]
        if line is None or absent:
            missing[command] = absent
    assert missing == {}


def test_fcm_credentials_is_a_path_in_every_document() -> None:
    # the contract says a path to a service-account JSON file; so do README and .env.example
    row = next(ln for ln in README.splitlines() if ln.startswith("| `LOYALTY_FCM_CREDENTIALS`"))
    assert "path to a Firebase service-account JSON file" in row
    assert "# Path to a Firebase service-account JSON" in ENV_EXAMPLE
    assert "LOYALTY_FCM_CREDENTIALS=/path/to/" in ENV_EXAMPLE


def test_the_readme_says_how_a_new_shopper_gets_a_token_against_a_running_demo() -> None:
    assert "### A token for a shopper" in README
    assert "loyalty token member --tenant demo --member c-2001 --ttl 1h --kid K --secret S" in (
        README
    )
    for fact in ("`enrollMember(", "every 5 minutes", "`registerDevice`", "1, 1, 3"):
        assert fact in README, fact
