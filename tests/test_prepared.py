"""A build reads, validates and codes the client's files once; every chapter reads that back."""

from __future__ import annotations

import io
import pickle
import zipfile

import pandas as pd
import pytest

from conftest import SAMPLE_CONFIG, SURVEY_COLUMNS, survey_frame, write_client
from cxanalysis import load_config, prepared_store, runner
from cxanalysis.client import PREPARED, ClientData, kept_prepared_file, open_client, prepared_file
from cxanalysis.errors import CXInputError


def _client(folder):
    survey_frame(40).to_csv(folder / "survey.csv", index=False)
    path = write_client(
        folder, [{"name": "survey", "path": "survey.csv", "columns": SURVEY_COLUMNS}], segments=["region"]
    )
    return load_config(path, folder / "staging")


def test_chapters_read_the_prepared_data_not_the_files_again(tmp_path):
    config = _client(tmp_path)
    summary = runner.check_data(config)
    assert prepared_file(config).exists()
    expected = ClientData(config)
    assert expected.data_check.accounting.equals(ClientData(load_config(config.file)).data_check.accounting)
    (tmp_path / "survey.csv").write_text("not the survey any more\n", encoding="utf-8")
    chapter = ClientData(config)
    pd.testing.assert_frame_equal(chapter.responses, expected.responses)
    pd.testing.assert_frame_equal(chapter.coded_comments, expected.coded_comments)
    pd.testing.assert_frame_equal(chapter.comment_coding, expected.comment_coding)
    assert int(summary["read"].sum()) == 40


def test_a_client_opened_outside_a_build_reads_its_files(tmp_path):
    config = _client(tmp_path)
    runner.check_data(config)
    outside = load_config(config.file)  # no build folder: the published one, which has no prepared data
    assert not prepared_file(outside).exists()
    (tmp_path / "survey.csv").write_text("Id,Date\n", encoding="utf-8")
    with pytest.raises(CXInputError, match=r"survey\.csv"):  # the changed file is read again
        _ = ClientData(outside).responses


def test_data_prepared_once_is_kept_for_the_next_chapter_until_an_input_changes(tmp_path):
    config = _client(tmp_path)
    first = open_client(config.file)
    kept = kept_prepared_file(first.config)
    assert kept.exists() and kept.parent.parent == first.config.output_dir / ".cache"
    again = open_client(config.file)
    assert again.__dict__.keys() >= set(PREPARED)  # taken from the kept file, nothing read yet
    pd.testing.assert_frame_equal(again.responses, first.responses)
    pd.testing.assert_frame_equal(again.coded_comments, first.coded_comments)
    # A changed export, a changed config or another language: the data is prepared afresh.
    survey_frame(36).to_csv(tmp_path / "survey.csv", index=False)
    assert len(open_client(config.file).responses) == 36
    text = config.file.read_text(encoding="utf-8")
    config.file.write_text(text.replace("Fjord Test", "Fjord Test AS"), encoding="utf-8")
    assert open_client(config.file).name == "Fjord Test AS"
    assert kept_prepared_file(load_config(config.file, language="nb")) != kept
    assert open_client(config.file).reuse_prepared()  # and the next chapter takes what this one prepared


def test_an_input_with_an_error_is_never_kept_and_the_error_shows_each_time(tmp_path):
    config = _client(tmp_path)
    (tmp_path / "survey.csv").write_text("Id,Date\n", encoding="utf-8")
    for _ in range(2):
        client = open_client(config.file)
        with pytest.raises(CXInputError, match=r"survey\.csv"):
            _ = client.responses
    assert not kept_prepared_file(client.config).exists()


def _tables(values: dict) -> list[pd.DataFrame]:
    """Every table inside the prepared values, in the order pickling meets them."""
    found: list[pd.DataFrame] = []

    class Finder(pickle.Pickler):
        def persistent_id(self, obj):
            if type(obj) is pd.DataFrame:
                found.append(obj)
            return None

    Finder(io.BytesIO()).dump(values)
    return found


def test_the_prepared_tables_are_kept_as_parquet_and_read_back_exactly(tmp_path):
    """The sample's prepared data: the valid responses and every other table whose types Parquet holds are
    Parquet members of the file; each table reads back identical (values, types, categories, index)."""
    client = open_client(SAMPLE_CONFIG, tmp_path / "build")
    stored = client.prepare()
    members = zipfile.ZipFile(stored).namelist()
    parquet = [m for m in members if m.endswith(".parquet")]
    responses = client.responses
    kept = [pd.read_parquet(io.BytesIO(zipfile.ZipFile(stored).read(m))) for m in parquet]
    assert any(list(t.columns) == list(responses.columns) and len(t) == len(responses) for t in kept)
    original, back = _tables(client._prepared_values()), _tables(prepared_store.read(stored))
    assert len(original) == len(back) and len(parquet) >= len(original) - 3
    for before, after in zip(original, back):
        pd.testing.assert_frame_equal(after, before, check_exact=True, check_index_type=True, check_column_type=True)
        assert list(after.dtypes) == list(before.dtypes)


def test_a_table_parquet_cannot_hold_exactly_stays_in_the_pickle():

    mixed = pd.DataFrame({"raw: Score": [1, "x", None], "text": pd.array(["a", None, "c"], dtype="string")})
    plain = pd.DataFrame({"n": [1, 2]}, index=pd.Index([10, 20], name="row"))
    data = prepared_store.dumps({"mixed": mixed, "plain": plain})
    assert zipfile.ZipFile(io.BytesIO(data)).namelist() == ["tables/0.parquet", "values.pickle"]
    back = prepared_store.loads(data)
    pd.testing.assert_frame_equal(back["mixed"], mixed, check_exact=True)
    pd.testing.assert_frame_equal(back["plain"], plain, check_exact=True)
    assert prepared_store.dumps({"mixed": mixed, "plain": plain}) == data  # the same data, the same bytes
