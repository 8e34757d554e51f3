"""Prints how much of the fault matrix a run exercised."""

from __future__ import annotations

import pytest

from tests.faults.matrix import TALLY


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if TALLY.points:
        terminalreporter.write_line(TALLY.line())
