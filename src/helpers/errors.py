"""The errors a user can cause, importable without pandas (the command line's fast path).

:mod:`helpers.data.validation` and :mod:`helpers.data.parameters` re-export them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

MAX_SHOWN = 40


class ParameterError(ValueError):
    """A parameter is malformed or names something that does not exist."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data, located as precisely as possible."""

    file: str
    message: str
    line: int | None = None
    column: str | None = None
    value: str | None = None
    unit: str = "line"  # "row" for Parquet tables, which have no lines

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", {self.unit} {self.line}"
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.message}"


class DataValidationError(ValueError):
    """Raised when the data package breaks one or more rules; lists every problem."""

    def __init__(self, problems: list[Problem], data_dir: Path | str):
        self.problems = list(problems)
        self.data_dir = Path(data_dir)
        super().__init__(self.describe())

    def __reduce__(self):
        # Keep the problems when the error crosses a process boundary (series workers).
        return (type(self), (self.problems, self.data_dir))

    def describe(self, limit: int = MAX_SHOWN) -> str:
        n = len(self.problems)
        head = f"The data package in {self.data_dir} has {n} problem{'s' if n != 1 else ''}:"
        lines = [f"  - {p}" for p in self.problems[:limit]]
        if n > limit:
            lines.append(f"  ... and {n - limit} more")
        return "\n".join([head, *lines])
