"""Client config: typed validation, errors naming key paths and files, paths resolved against the config."""

from __future__ import annotations

import os

import pytest
import yaml

from conftest import SAMPLE_CONFIG, SURVEY_COLUMNS, write_client
from cxanalysis import CXInputError, load_config


def source(**extra):
    return {"name": "survey", "path": "survey.csv", "columns": dict(SURVEY_COLUMNS), **extra}


def test_sample_config_loads_with_defaults():
    config = load_config(SAMPLE_CONFIG)
    assert config.client.slug == "nordlys"
    assert config.anonymity.min_responses == 5 and config.anonymity.min_comments == 8
    assert config.report.period == "quarter"
    assert config.money.currency == "NOK"
    assert config.config_file == SAMPLE_CONFIG


def test_none_means_the_sample_client():
    assert load_config(None).client.name == load_config(SAMPLE_CONFIG).client.name


def test_relative_paths_resolve_against_the_config_not_the_working_directory(tmp_path, monkeypatch):
    folder = tmp_path / "clients" / "fjord"
    folder.mkdir(parents=True)
    path = write_client(folder, [source()], segments=["region"], journey="journey.yml")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    config = load_config(os.path.relpath(path, elsewhere))
    assert config.sources[0].path == folder / "survey.csv"
    assert config.journey == folder / "journey.yml"
    assert config.build_dir == folder / "out" / "fjord-test"


def test_unknown_key_names_the_key_path_and_the_file(tmp_path):
    path = write_client(tmp_path, [source(colums={"nps": "NPS"})], segments=["region"])
    with pytest.raises(CXInputError) as error:
        load_config(path)
    message = str(error.value)
    assert str(path) in message
    assert "sources[0].colums: unknown key" in message


def test_wrong_type_names_the_key_path(tmp_path):
    path = write_client(tmp_path, [source()], segments=["region"], anonymity={"min_responses": "five"})
    with pytest.raises(CXInputError) as error:
        load_config(path)
    assert "anonymity.min_responses" in str(error.value)
    assert "'five'" in str(error.value)


def test_missing_required_key(tmp_path):
    path = tmp_path / "client.yml"
    path.write_text(yaml.safe_dump({"client": {"name": "X", "slug": "x"}, "output_dir": "out"}))
    with pytest.raises(CXInputError, match=r"sources: required key is missing"):
        load_config(path)


def test_mapping_to_an_undeclared_canonical_name_is_an_error(tmp_path):
    path = write_client(tmp_path, [source()])  # region mapped but not declared a segment
    with pytest.raises(CXInputError, match=r"unknown canonical names \['region'\]"):
        load_config(path)


def test_slug_must_be_a_folder_name(tmp_path):
    path = write_client(tmp_path, [source()], segments=["region"], client={"name": "X", "slug": "Bad Slug!"})
    with pytest.raises(CXInputError, match=r"client.slug"):
        load_config(path)


def test_yaml_syntax_error_names_the_line(tmp_path):
    path = tmp_path / "client.yml"
    path.write_text("client:\n  name: [unclosed\n  slug: x\n")
    with pytest.raises(CXInputError, match=r"row \d+: not valid YAML"):
        load_config(path)


def test_missing_config_file(tmp_path):
    with pytest.raises(CXInputError, match="file not found"):
        load_config(tmp_path / "nope.yml")


def test_scale_must_be_ordered(tmp_path):
    path = write_client(tmp_path, [source()], segments=["region"], scales={"csat": [5, 1]})
    with pytest.raises(CXInputError, match="scales"):
        load_config(path)


def test_action_plan_initiatives_are_read_with_their_optional_fields():
    initiatives = load_config(SAMPLE_CONFIG).action_plan.initiatives
    assert [x.area for x in initiatives] == ["troubleshooting", "responsiveness", "response_time"]
    first = initiatives[0]
    assert (first.owner, first.cost, first.due_months, first.expected_uplift) == ("customer_service", 350000, 9, None)
    assert initiatives[1].owner is None and initiatives[2].expected_uplift == -5


def test_an_initiative_needs_what_and_where_and_a_cost_of_zero_or_more(tmp_path):
    for initiative, key in (
        ({"area": "price"}, "action_plan.initiatives[0].initiative"),
        ({"initiative": "Cheaper delivery", "area": "price", "cost": -1}, "action_plan.initiatives[0].cost"),
        ({"initiative": "Cheaper delivery", "area": "price", "budget": 5}, "action_plan.initiatives[0].budget"),
    ):
        path = write_client(tmp_path, [source()], segments=["region"], action_plan={"initiatives": [initiative]})
        with pytest.raises(CXInputError) as error:
            load_config(path)
        assert key in str(error.value)


def test_the_report_texts_and_display_names_may_be_given_per_report_language(tmp_path):
    report = {
        "language": "da",
        "title": {"en": "CX report", "nb": "Kundeopplevelsesrapport", "da": "Kundeoplevelsesrapport"},
        "notice": "Ét og samme varsel",  # one text serves every language
        "prepared_by": {"en": "Prepared by Us", "no": "Utarbeidet av oss", "da": "Udarbejdet af os"},
    }
    names = {"relational_nps": {"en": "Relationship survey", "nb": "Relasjonsmåling", "da": "Relationsmåling"}}
    path = write_client(tmp_path, [source()], segments=["region"], report=report, display_names=names)
    config = load_config(path)
    assert (config.report.title, config.report.notice, config.report.prepared_by) == (
        "Kundeoplevelsesrapport",
        "Ét og samme varsel",
        "Udarbejdet af os",
    )
    assert config.display_names == {"relational_nps": "Relationsmåling"}
    # --language reads each text in the language asked for; 'no' (or an unquoted no) names bokmål
    norwegian = load_config(path, language="nb")
    assert (norwegian.report.title, norwegian.report.prepared_by) == ("Kundeopplevelsesrapport", "Utarbeidet av oss")
    assert norwegian.display_names == {"relational_nps": "Relasjonsmåling"}
    unquoted = path.read_text(encoding="utf-8").replace("'no':", "no:").replace("no: Utarbeidet", "no: Utarbeidet")
    assert yaml.safe_load(unquoted)["report"]["prepared_by"].get(False) == "Utarbeidet av oss"
    path.write_text(unquoted, encoding="utf-8")
    assert load_config(path, language="nb").report.prepared_by == "Utarbeidet av oss"


def test_a_text_missing_in_the_report_language_is_named_not_replaced_by_english(tmp_path):
    report = {"title": {"en": "CX report", "nb": "Kundeopplevelsesrapport"}}
    path = write_client(tmp_path, [source()], segments=["region"], report=report)
    assert load_config(path).report.title == "CX report"
    with pytest.raises(CXInputError) as error:
        load_config(path, language="sv")
    message = str(error.value)
    assert str(path) in message and "report.title has no text in sv" in message and "sv: ..." in message


def test_the_sample_client_reads_its_report_texts_in_each_language():
    titles = {language: load_config(SAMPLE_CONFIG, language=language).report for language in ("en", "nb", "da", "sv")}
    assert len({report.title for report in titles.values()}) == 4
    assert len({report.notice for report in titles.values()}) == 4
    assert titles["en"].title == "Customer experience report 2025"
    assert titles["nb"].subtitle == "Nordlys Retail, alle kanaler, 2025Q1 til 2025Q4"


def test_a_benchmarks_source_may_be_given_per_report_language(tmp_path):
    benchmarks = [
        {"metric": "nps", "value": 30, "source": {"en": "Retail study", "nb": "Handelsstudie"}, "year": 2024},
        {"metric": "csat", "value": 74, "source": "Peer group"},
    ]
    path = write_client(tmp_path, [source()], segments=["region"], benchmarks=benchmarks)
    assert [b.source for b in load_config(path).benchmarks] == ["Retail study", "Peer group"]
    assert [b.source for b in load_config(path, language="nb").benchmarks] == ["Handelsstudie", "Peer group"]
    with pytest.raises(CXInputError, match=r"benchmarks\[0\]\.source has no text in da"):
        load_config(path, language="da")
    sources = {
        language: load_config(SAMPLE_CONFIG, language=language).benchmarks[0].source for language in ["nb", "da", "sv"]
    }
    assert len(set(sources.values())) == 3 and sources["nb"] == "Nordisk detaljhandelsstudie (oppdiktet)"
