"""What an import found: rows read, rows skipped (with line and reason), rows added."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

SHOWN_BAD_ROWS = 50
"""Bad rows listed by line in the printed report, per file; all are counted."""


class FormatError(ValueError):
    """A file is not recognisable as the format it was imported as; nothing is written."""


@dataclass(frozen=True)
class BadRow:
    """One row skipped by an import, located by its line (or record) in its file."""

    line: int
    reason: str
    unit: str = "line"  # "record" for the records of a JSON array

    def __str__(self) -> str:
        return f"{self.unit} {self.line}: {self.reason}"


@dataclass
class FileReport:
    """The rows of one imported file: read, parsed, skipped."""

    path: Path
    rows: int = 0
    bad: list[BadRow] = field(default_factory=list)
    unit: str = "line"
    """How rows are located: by line, or by record in a JSON array."""

    @property
    def parsed(self) -> int:
        """Rows that became coded events (before events already stored are dropped)."""
        return self.rows - len(self.bad)


@dataclass
class ImportReport:
    """The outcome of one ``briefing import``."""

    dataset: str
    files: list[FileReport] = field(default_factory=list)
    added: int = 0
    already_present: int = 0
    new_actors: list[str] = field(default_factory=list)
    table: Path | None = None

    def lines(self, shown: int = SHOWN_BAD_ROWS) -> list[str]:
        """The report as printed by the command line, one string per line."""
        out = []
        for f in self.files:
            out.append(
                f"{f.path}: {f.rows:,} rows read, {f.parsed:,} parsed, {len(f.bad):,} skipped"
            )
            out.extend(f"  skipped {bad}" for bad in f.bad[:shown])
            if len(f.bad) > shown:
                out.append(f"  ... and {len(f.bad) - shown:,} more skipped rows")
        out.append(
            f"{self.dataset}: {self.added:,} events added, "
            f"{self.already_present:,} already in the package"
            + (f" ({self.table})" if self.table else "")
        )
        if self.new_actors:
            out.append(
                "added to actors.csv as states (marked as added by import): "
                + ", ".join(self.new_actors)
            )
        return out
