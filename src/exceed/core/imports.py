"""The one import mechanism (issue 6, item 6): CSV and NDJSON files, all or nothing, every error
naming its line and column, and a registry of the kinds that `exceed import` offers.

Each import reads the whole file and checks every row before it writes anything, so a typo on
line 900 never leaves 899 rows behind; the writes then run in one transaction through the
services. An app offers a kind by ``register_import`` in its ``AppConfig.ready``; the CLI lists
the registry in `exceed import --help`, kinds and columns, without knowing the apps.
"""

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from exceed.bounds import text_problem
from exceed.errors import DomainError

# Called as progress(phase, done, total); the CLI draws it as a text bar on a terminal.
Progress = Callable[[str, int, int], None]


def no_progress(phase: str, done: int, total: int) -> None:
    pass


# Shown at most, so a file with the wrong delimiter does not print 100,000 identical lines.
MAX_REPORTED_PROBLEMS = 20


@dataclass
class Problem:
    line: int
    column: str | None
    message: str

    def render(self, filename: str) -> str:
        if self.column:
            return _("%(file)s line %(line)s, column %(column)s: %(message)s") % {
                "file": filename,
                "line": self.line,
                "column": self.column,
                "message": self.message,
            }
        return _("%(file)s line %(line)s: %(message)s") % {"file": filename, "line": self.line, "message": self.message}


class ImportRejected(DomainError):
    """The file was refused; nothing was written. ``problems`` lists the first offending cells."""

    def __init__(self, filename: str, problems: list[Problem], total: int | None = None):
        self.filename = filename
        self.problems = problems[:MAX_REPORTED_PROBLEMS]
        lines = [problem.render(filename) for problem in self.problems]
        total = total if total is not None else len(problems)
        if total > len(self.problems):
            lines.append(_("… and %(count)s more problems.") % {"count": total - len(self.problems)})
        lines.append(_("Nothing was imported."))
        super().__init__("\n".join(lines), field=self.problems[0].column if self.problems else None)


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    skipped: int = 0
    notes: list[str] = field(default_factory=list)

    def summary(self, noun: str) -> str:
        text = _("%(noun)s: %(created)s created, %(updated)s updated, %(skipped)s skipped.") % {
            "noun": noun,
            "created": self.created,
            "updated": self.updated,
            "skipped": self.skipped,
        }
        return "\n".join([text, *self.notes])


class Problems:
    """Collects problems while every row is checked; ``raise_if_any`` rejects the whole file."""

    def __init__(self, filename: str):
        self.filename = filename
        self.items: list[Problem] = []
        self.total = 0

    def add(self, line: int, column: str | None, message: str) -> None:
        self.total += 1
        if len(self.items) < MAX_REPORTED_PROBLEMS:
            self.items.append(Problem(line, column, message))

    def raise_if_any(self) -> None:
        if self.items:
            raise ImportRejected(self.filename, self.items, self.total)


@dataclass
class Row:
    line: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        return (self.cells.get(column) or "").strip()


def open_text(path: str | Path) -> io.TextIOBase:
    """UTF-8 with or without a byte-order mark (spreadsheet programs add one)."""
    return open(path, encoding="utf-8-sig", newline="")


def read_csv(
    path: str | Path, *, required: tuple[str, ...], optional: tuple[str, ...] = (), extra: bool = False
) -> Iterator[Row]:
    """Rows of a CSV file with their line numbers (line 1 is the header).

    Rejects a file whose header lacks a required column or, unless ``extra``, has an unknown one.
    Spreadsheets in Denmark and France write semicolons, so the delimiter is taken from the header.
    """
    filename = Path(path).name
    with open_text(path) as handle:
        first_line = handle.readline()
        handle.seek(0)
        reader = csv.reader(handle, delimiter=_delimiter(first_line))
        try:
            header = [name.strip() for name in next(reader)]
        except StopIteration:
            raise ImportRejected(filename, [Problem(1, None, _("The file is empty."))]) from None
        _check_header(filename, header, required, optional, extra)
        line = reader.line_num
        for values in reader:
            start, line = line + 1, reader.line_num
            if not any(value.strip() for value in values):
                continue
            if len(values) > len(header):
                raise ImportRejected(
                    filename,
                    [
                        Problem(
                            start,
                            None,
                            _("%(found)s values but the header has %(expected)s columns.")
                            % {"found": len(values), "expected": len(header)},
                        )
                    ],
                )
            for column, value in zip(header, values):
                # PostgreSQL cannot store a NUL; a file carrying one is refused, on every database.
                if problem := text_problem(value):
                    raise ImportRejected(filename, [Problem(start, column, problem)])
            yield Row(start, dict(zip(header, values)))


def _delimiter(header_line: str) -> str:
    # Judged on the header alone: data cells legitimately hold ';' (a person's location codes).
    counts = {delimiter: header_line.count(delimiter) for delimiter in (",", ";", "\t")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def _check_header(filename: str, header: list[str], required, optional, extra: bool) -> None:
    missing = [name for name in required if name not in header]
    if missing:
        raise ImportRejected(
            filename, [Problem(1, missing[0], _("The header has no column %(column)s.") % {"column": missing[0]})]
        )
    if len(set(header)) != len(header):
        repeated = next(name for name in header if header.count(name) > 1)
        raise ImportRejected(
            filename, [Problem(1, repeated, _("The column %(column)s appears twice.") % {"column": repeated})]
        )
    if not extra:
        unknown = [name for name in header if name not in required and name not in optional]
        if unknown:
            raise ImportRejected(
                filename, [Problem(1, unknown[0], _("Unknown column %(column)s.") % {"column": unknown[0]})]
            )


def split_codes(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def row_written(problems: Problems, row: Row, write) -> None:
    """Run one row's write; a service refusal still names the row (the file is rolled back)."""
    try:
        write()
    except DomainError as error:
        problems.add(row.line, error.field, error.message)
        problems.raise_if_any()


# --- The registry of kinds -----------------------------------------------------------------------


@dataclass(frozen=True)
class ImportKind:
    """What `exceed import NAME FILE` runs: ``run(path=, progress=)`` returning an ImportReport."""

    name: str
    summary: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    run: Callable[..., ImportReport]
    formats: str = "CSV"

    def describe(self) -> str:
        optional = [column for column in self.optional if column not in self.required]
        text = f"{self.name} ({self.formats}): {self.summary}\n    columns: {', '.join(self.required)}"
        if optional:
            text += f"; optional: {', '.join(optional)}"
        return text


_KINDS: dict[str, ImportKind] = {}


def register_import(kind: ImportKind) -> None:
    _KINDS[kind.name] = kind


def import_kinds() -> list[ImportKind]:
    return list(_KINDS.values())


def import_kind(name: str) -> ImportKind:
    if name not in _KINDS:
        raise DomainError(
            _("Unknown kind of import %(kind)s (one of: %(kinds)s).") % {"kind": name, "kinds": ", ".join(_KINDS)},
            field="kind",
        )
    return _KINDS[name]
