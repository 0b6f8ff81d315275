"""The one error type for mistakes a user can fix (config, data files, paths)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

#: The longest message an error carries; a longer one is cut, with a note, so no input can make it huge.
MAX_MESSAGE_CHARS = 2000
#: How many names a list in a message shows, and how many characters of each.
LISTED_NAMES = 5
NAME_CHARS = 40


def excerpt(text: object, chars: int = NAME_CHARS) -> str:
    """A value from the input cut to ``chars`` characters (with an ellipsis when cut), for a message."""
    text = str(text)
    return text if len(text) <= chars else text[: chars - 1] + "…"


def name_list(names: Iterable[object], *, most: int = LISTED_NAMES, chars: int = NAME_CHARS) -> str:
    """Names from the input as a message shows them: at most ``most``, each cut to ``chars`` characters, and
    how many more there are.

    >>> name_list(["id", "date", "nps"])
    "['id', 'date', 'nps']"
    >>> name_list([f"q{i}" for i in range(5000)], most=2)
    "['q0', 'q1', … and 4,998 more]"
    """
    names = list(names)
    shown = ", ".join(repr(excerpt(name, chars)) for name in names[:most])
    more = len(names) - most
    return f"[{shown}, … and {more:,} more]" if more > 0 else f"[{shown}]"


def inside_folder(file: str | Path, folder: str | Path | None) -> bool:
    """Whether a file is inside a folder (after resolving links); True when there is no folder to be inside."""
    if folder is None:
        return True
    try:
        return Path(file).resolve().is_relative_to(Path(folder).resolve())
    except (OSError, RuntimeError):
        return False


class CXInputError(Exception):
    """A problem in a client's config or data that the user can fix.

    The message always names the file, and where it applies the column, row
    or key path, and says how to fix it. The command-line interface prints
    the message without a traceback and exits with status 2. A message
    never grows beyond :data:`MAX_MESSAGE_CHARS`: lists of names from the
    input are shown by :func:`name_list`, and whatever is still longer is
    cut with a note.
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
            where.append(f"file {excerpt(self.file, 300)}")
        if self.key:
            where.append(f"key '{excerpt(self.key, 200)}'")
        if self.column:
            where.append(f"column '{excerpt(self.column, 200)}'")
        if self.row is not None:
            where.append(f"row {self.row}")
        fix = f"\n  Fix: {excerpt(self.fix, 400)}" if self.fix else ""
        head = f"{', '.join(where)}: " if where else ""
        room = MAX_MESSAGE_CHARS - len(head) - len(fix)
        problem = self.problem
        if len(problem) > room:
            note = f"… ({len(problem) - room + 60:,} more characters not shown)"
            problem = problem[: room - 60] + note
        return f"{head}{problem}{fix}"
