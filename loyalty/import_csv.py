"""Reading a CSV file row by row, as Excel and other apps write them: comma, semicolon (Excel
where the decimal mark is a comma) or tab separated, quoted fields (with "" inside and line
breaks), CRLF or LF line ends. The text arrives as an iterator of lines, so a file of any size
is read with memory for one row."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from itertools import chain

DELIMITERS = (",", ";", "\t")


class MalformedCsv(Exception):
    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


def delimiter_of(header: str) -> str:
    """The separator the header line uses most (outside quotes)."""
    outside = "".join(part for i, part in enumerate(header.split('"')) if i % 2 == 0)
    return max(DELIMITERS, key=outside.count)


def read_rows(lines: Iterator[str]) -> Iterator[tuple[int, list[str]]]:
    """(line number where the row starts, cells), the header first; blank rows are skipped.
    Raises MalformedCsv where a row cannot be read (a field past the size limit)."""
    first = next(lines, None)
    if first is None:
        return
    reader = csv.reader(chain([first], lines), delimiter=delimiter_of(first))
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise MalformedCsv(start) from exc
        if any(cell.strip() for cell in cells):
            yield start, cells
