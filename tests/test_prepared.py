"""A build reads, validates and codes the client's files once; every chapter reads that back."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import SURVEY_COLUMNS, survey_frame, write_client
from cxanalysis import load_config, runner
from cxanalysis.client import ClientData, prepared_file
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
