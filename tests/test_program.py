"""Journey and stakeholder files: validated structure and names that refer to each other."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import SAMPLE_CONFIG, sample_config_with_absolute_data_paths
from cxanalysis import CXInputError, load_config
from cxanalysis.program import check_references, load_journey, load_stakeholders, reference_problems

CLI = str(Path(sys.executable).parent / "cxanalysis")


@pytest.fixture
def sample_copy(tmp_path):
    """The sample client's config, journey and stakeholder files in a folder of their own."""
    for name in ("journey.yml", "stakeholders.yml"):
        shutil.copy(SAMPLE_CONFIG.parent / name, tmp_path / name)
    config = sample_config_with_absolute_data_paths()
    config["output_dir"] = "out"
    (tmp_path / "client.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return tmp_path


def test_the_sample_files_refer_to_each_other_correctly():
    config = load_config(SAMPLE_CONFIG)
    assert reference_problems(config, load_journey(config), load_stakeholders(config)) == []


def test_goal_on_an_unknown_touchpoint_names_file_goal_and_touchpoint(sample_copy):
    path = sample_copy / "stakeholders.yml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("touchpoint: Store,", "touchpoint: Shop floor,"), encoding="utf-8"
    )
    config = load_config(sample_copy / "client.yml")
    with pytest.raises(CXInputError) as error:
        check_references(config, load_journey(config), load_stakeholders(config))
    message = str(error.value)
    assert (
        f"{sample_copy / 'stakeholders.yml'}: goal 'Store CSAT at 85 %' of team 'sales' names touchpoint "
        "'Shop floor', which the journey does not have" in message
    )
    done = subprocess.run([CLI, "validate", str(sample_copy / "client.yml")], capture_output=True, text=True)
    assert done.returncode == 2 and "'Shop floor'" in done.stderr and "Traceback" not in done.stderr


def test_touchpoint_owner_must_be_a_team(sample_copy):
    path = sample_copy / "journey.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("owner: it", "owner: web_team"), encoding="utf-8")
    config = load_config(sample_copy / "client.yml")
    problems = reference_problems(config, load_journey(config), load_stakeholders(config))
    assert problems == [
        f"{sample_copy / 'journey.yml'}: touchpoint 'Checkout' is owned by 'web_team', which is not "
        "a team in the stakeholders file (teams: customer_service, customers, it, leadership, "
        "marketing, product, quality, sales)"
    ]


def test_goal_kpi_and_segment_must_exist(sample_copy):
    path = sample_copy / "stakeholders.yml"
    text = path.read_text(encoding="utf-8").replace("kpi: Returns effort,", "kpi: Return effort,")
    text = text.replace(
        "{name: Raise NPS to 30, metric: nps,", "{name: Raise NPS to 30, metric: nps, segment: {fylke: Troms},"
    )
    path.write_text(text, encoding="utf-8")
    config = load_config(sample_copy / "client.yml")
    problems = reference_problems(config, load_journey(config), load_stakeholders(config))
    assert len(problems) == 2
    assert (
        "goal 'Raise NPS to 30' of team 'leadership' names segment 'fylke', which the config does not declare"
        in problems[0]
    )
    assert (
        "goal 'Easier returns (CES 5.5)' of team 'product' names KPI 'Return effort', which no team owns" in problems[1]
    )


def test_unknown_key_in_the_journey_names_the_key(sample_copy):
    path = sample_copy / "journey.yml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("owner: marketing", "ownr: marketing", 1), encoding="utf-8"
    )
    with pytest.raises(CXInputError, match=r"stages\[0\]\.touchpoints\[0\]\.ownr: unknown key"):
        load_journey(load_config(sample_copy / "client.yml"))


def test_logged_action_on_an_unknown_touchpoint_is_named(sample_copy):
    path = sample_copy / "client.yml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("touchpoint: Support centre", "touchpoint: Kundesenter"),
        encoding="utf-8",
    )
    config = load_config(path)
    problems = reference_problems(config, load_journey(config), load_stakeholders(config))
    assert len(problems) == 1
    assert problems[0].startswith(f"{path}: action_log[0] 'Call-back routine")
    assert "names touchpoint 'Kundesenter', which the journey does not have" in problems[0]
