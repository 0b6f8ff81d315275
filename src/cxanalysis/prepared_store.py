"""A client's prepared data kept in one file that chapters read back: every table (the valid responses, the
quarantine, the coded comments, ...) as a Parquet member of a ZIP archive, and the few other values around
them (accounting notes, the partial period, the raking summary) in a small pickle that refers to the tables
by name.

A table is stored as Parquet only when it reads back identical: values, column types (categories and
their order included), index and column names. One that would not (a column of mixed Python objects, say)
stays inside the pickle, so what a chapter reads is always exactly what the build prepared.
"""

from __future__ import annotations

import io
import os
import pickle
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd

#: The archive member holding everything but the tables.
VALUES = "values.pickle"

#: A fixed time stamp for every member, so that the same data gives the same bytes.
_MEMBER_TIME = (2000, 1, 1, 0, 0, 0)


def _parquet_bytes(frame: pd.DataFrame) -> bytes | None:
    """``frame`` as Parquet, or None when Parquet would not give it back exactly (:func:`_from_parquet`)."""
    buffer = io.BytesIO()
    try:
        frame.to_parquet(buffer)
        back = _from_parquet(buffer.getvalue(), frame.dtypes)
    except Exception:  # a type Parquet does not hold: the table stays in the pickle
        return None
    same = (
        list(back.columns) == list(frame.columns)
        and back.columns.dtype == frame.columns.dtype
        and type(back.index) is type(frame.index)
        and back.index.equals(frame.index)
        and back.index.dtype == frame.index.dtype
        and list(back.index.names) == list(frame.index.names)
        and back.dtypes.equals(frame.dtypes)
        and back.equals(frame)
        and back.attrs == frame.attrs
    )
    return buffer.getvalue() if same else None


def _from_parquet(data: bytes, dtypes: pd.Series) -> pd.DataFrame:
    """A table read from Parquet with its columns' own types: Parquet gives categories of text back as
    ``str`` where the table had ``string``, say."""
    frame = pd.read_parquet(io.BytesIO(data))
    changed = {c: dtypes[c] for c in frame.columns if frame[c].dtype != dtypes[c]}
    return frame.astype(changed) if changed else frame


class _Writer(pickle.Pickler):
    """Pickles the values, writing each table to the archive as Parquet and pickling its member's name."""

    def __init__(self, stream: io.BytesIO, archive: zipfile.ZipFile) -> None:
        super().__init__(stream, protocol=pickle.HIGHEST_PROTOCOL)
        self.archive = archive
        self.members: dict[int, tuple[pd.DataFrame, tuple[str, pd.Series]]] = {}

    def persistent_id(self, obj: Any) -> tuple[str, pd.Series] | None:
        if type(obj) is not pd.DataFrame or not obj.columns.is_unique:
            return None
        if id(obj) in self.members:  # the same table met twice is stored once
            return self.members[id(obj)][1]
        data = _parquet_bytes(obj)
        if data is None:
            return None
        name = f"tables/{len(self.members)}.parquet"
        self.archive.writestr(zipfile.ZipInfo(name, _MEMBER_TIME), data)
        self.members[id(obj)] = (obj, (name, obj.dtypes))  # the table is held so that its id is not reused
        return name, obj.dtypes


class _Reader(pickle.Unpickler):
    """Reads the values back, each table from its Parquet member."""

    def __init__(self, stream: io.BytesIO, archive: zipfile.ZipFile) -> None:
        super().__init__(stream)
        self.archive = archive
        self.tables: dict[str, pd.DataFrame] = {}

    def persistent_load(self, pid: Any) -> pd.DataFrame:
        name, dtypes = pid
        if name not in self.tables:
            self.tables[name] = _from_parquet(self.archive.read(name), dtypes)
        return self.tables[name]


def dumps(values: dict[str, Any]) -> bytes:
    """The values as the bytes of a prepared-data file."""
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", compression=zipfile.ZIP_STORED) as archive:
        stream = io.BytesIO()
        _Writer(stream, archive).dump(values)
        archive.writestr(zipfile.ZipInfo(VALUES, _MEMBER_TIME), stream.getvalue())
    return data.getvalue()


def loads(data: bytes) -> dict[str, Any]:
    """The values of a prepared-data file's bytes (written by :func:`dumps` in this template's own process)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return _Reader(io.BytesIO(archive.read(VALUES)), archive).load()


def write(values: dict[str, Any], path: Path) -> Path:
    """Write the values to ``path`` whole: a reader never meets a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_bytes(dumps(values))
    partial.replace(path)
    return path


def read(path: Path) -> dict[str, Any]:
    """The values kept in ``path`` (:func:`write`)."""
    return loads(path.read_bytes())


__all__ = ["dumps", "loads", "read", "write"]
