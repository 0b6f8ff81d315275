"""The one error type for mistakes a user can fix (config, data files, paths)."""

from __future__ import annotations

from pathlib import Path


class CXInputError(Exception):
    """A problem in a client's config or data that the user can fix.

    The message always names the file, and where it applies the column, row
    or key path, and says how to fix it. The command-line interface prints
    the message without a traceback and exits with status 2.
    """

    def __init__(
        self,
        problem: str,
        *,
        file: str | Path | None = None,
        column: str | None = None,
        row: int | None = None,
        key: str | None = None,
        fix: str | None = None,
    ) -> None:
        self.problem = problem
        self.file = str(file) if file is not None else None
        self.column = column
        self.row = row
        self.key = key
        self.fix = fix
        super().__init__(self._message())

    def _message(self) -> str:
        where = []
        if self.file:
            where.append(f"file {self.file}")
        if self.key:
            where.append(f"key '{self.key}'")
        if self.column:
            where.append(f"column '{self.column}'")
        if self.row is not None:
            where.append(f"row {self.row}")
        text = self.problem
        if where:
            text = f"{', '.join(where)}: {text}"
        if self.fix:
            text = f"{text}\n  Fix: {self.fix}"
        return text
