"""Clients as CSV (pure): `name,email,phones,language,product_version`, phones separated by `;`,
UTF-8 with or without a byte order mark. Every bad row is named by its line and reason."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

from callq.admin.client_fields import ClientFields, clean_fields, split_phones
from callq.i18n import N_, Problem

COLUMNS = ("name", "email", "phones", "language", "product_version")
MAX_PROBLEMS = 50  # a wholly wrong file is named by its first lines, not ten thousand


@dataclass(frozen=True)
class CsvRow:
    """One client of the file and the line it starts on."""

    line: int
    fields: ClientFields


class CsvRefused(ValueError):
    """The file cannot be imported; `problems` name each bad line and why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(map(str, problems[:3])) + (" ..." if len(problems) > 3
                                                              else ""))
        self.problems = problems


def on_line(line: int, problem: Problem) -> Problem:
    """A problem of one line of the file."""
    return Problem(N_("line %(line)s: %(problem)s"), line=line, problem=problem)


def decode(data: bytes) -> str:
    """The file's text (UTF-8, with or without BOM); CsvRefused otherwise."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CsvRefused([Problem(N_("the file is not UTF-8 text (byte %(byte)s)"),
                                  byte=exc.start)]) from None


def read_rows(text: str, region: str) -> list[CsvRow]:
    """Every client of the file, checked; CsvRefused naming every bad line."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    try:
        header = [name.strip().lower() for name in next(reader)]
    except StopIteration:
        raise CsvRefused([Problem(N_("the file is empty"))]) from None
    if sorted(header) != sorted(COLUMNS):
        raise CsvRefused([Problem(N_("line 1: the columns must be %(columns)s, not %(found)s"),
                                  columns=",".join(COLUMNS), found=",".join(header))])
    rows, problems = [], []
    try:
        for values in reader:
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue
            try:
                rows.append(CsvRow(line, _fields(header, values, region)))
            except Problem as problem:
                problems.append(on_line(line, problem))
    except csv.Error as exc:
        problems.append(on_line(reader.line_num, Problem(N_("not valid CSV: %(reason)s"),
                                                         reason=str(exc))))
    if problems:
        raise CsvRefused(problems[:MAX_PROBLEMS])
    return rows


def _fields(header: list[str], values: list[str], region: str) -> ClientFields:
    if len(values) != len(header):
        raise Problem(N_("%(count)s values for %(columns)s columns"), count=len(values),
                      columns=len(header))
    row = dict(zip(header, values, strict=True))
    return clean_fields(name=row["name"], email=row["email"], phones=split_phones(row["phones"]),
                        language=row["language"], product_version=row["product_version"],
                        region=region)


def write_rows(clients: Iterable[ClientFields]) -> str:
    """The CSV of these clients, in the import's columns."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for c in clients:
        writer.writerow([c.name, c.email or "", ";".join(c.phones), c.language or "",
                         c.product_version or ""])
    return out.getvalue()
