"""A second client built after the sample: nothing of the first in it, hostile text shown as text,
the teaching edition, and an interrupted build that leaves the published book untouched."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml
from bs4 import BeautifulSoup

from browser import chromium, visit_book
from conftest import CLI, REPO, SAMPLE_CONFIG
from cxanalysis import load_config
from cxanalysis.runner import edition, staging_dir
from cxanalysis.sample import generate_sample

pytestmark = pytest.mark.slow

#: Text a hostile or careless export could hold, planted in segment names and comments.
SEGMENT_PAYLOAD = "Vest <img src=x onerror=alert('segment')>"
TYPE_PAYLOAD = "New [klikk](javascript:alert('type')) {raw}`<b>x</b>`"
COMMENT_PAYLOADS = [
    "<script>alert('comment')</script>",
    "<img src=x onerror=alert('img')>",
    "[se her](javascript:alert('link'))",
    "{eval-rst}`.. raw:: html` :::{danger} planted directive",
    "```{raw} html\n<script>alert('raw')</script>\n```",
]
CLIENT_NAME = "Fjellbekk Energi"


def write_second_client(folder: Path, output_dir: Path) -> Path:
    """A client made from fresh synthetic data (another seed), renamed, with payloads planted."""
    generate_sample(folder, seed=11)
    for name in ("journey.yml", "stakeholders.yml"):
        shutil.copy(SAMPLE_CONFIG.parent / name, folder / name)
    config = yaml.safe_load(SAMPLE_CONFIG.read_text(encoding="utf-8"))
    text = yaml.safe_dump(config, allow_unicode=True, sort_keys=False).replace("Nordlys Retail", CLIENT_NAME)
    config = yaml.safe_load(text.replace("Nordlys", "Fjellbekk"))
    config["client"]["slug"] = "fjellbekk"
    config["output_dir"] = str(output_dir)
    config["action_log"][0]["treated"] = {"region": [SEGMENT_PAYLOAD]}
    # The population's shares under the planted names, and the invitations' regions as the answers name them.
    planted = {"region": {"Vest": SEGMENT_PAYLOAD}, "customer_type": {"New": TYPE_PAYLOAD}}
    for column, renamed in planted.items():
        shares = config["weighting"]["margins"][column]
        config["weighting"]["margins"][column] = {renamed.get(level, level): v for level, v in shares.items()}
    invitations = pd.read_csv(folder / "invitations.csv", dtype=str, keep_default_na=False)
    invitations["region"] = invitations["region"].replace(planted["region"])
    invitations.to_csv(folder / "invitations.csv", index=False)
    (folder / "client.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")

    def plant(frame: pd.DataFrame, comment: str) -> pd.DataFrame:
        frame["Region"] = frame["Region"].replace({"Vest": SEGMENT_PAYLOAD})
        frame["Customer type"] = frame["Customer type"].replace({"New": TYPE_PAYLOAD})
        has_comment = frame[comment].fillna("").astype(str).str.strip() != ""
        for i, row in enumerate(frame.index[has_comment]):
            frame.loc[row, comment] = f"{frame.loc[row, comment]} {COMMENT_PAYLOADS[i % len(COMMENT_PAYLOADS)]}"
        return frame

    relational = folder / "relational_nps.csv"
    frame = pd.read_csv(relational, sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    plant(frame, "What one thing could we do to make you happier?").to_csv(
        relational, sep=";", encoding="utf-8-sig", index=False
    )
    transactional = folder / "transactional.xlsx"
    frame = pd.read_excel(transactional, sheet_name="Responses")
    plant(frame, "Comment").to_excel(transactional, sheet_name="Responses", index=False)
    return folder / "client.yml"


@pytest.fixture(scope="module")
def second_client(tmp_path_factory, sample_build):
    folder = tmp_path_factory.mktemp("fjellbekk")
    config_path = write_second_client(folder, folder / "out")
    started = time.perf_counter()
    done = subprocess.run([CLI, "build", "--teaching", str(config_path)], capture_output=True, text=True)
    print(f"\nsecond client's teaching edition built in {time.perf_counter() - started:.0f} s")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return edition(load_config(config_path), teaching=True), config_path


def published_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and p.suffix in {".html", ".js", ".csv", ".json", ".txt"}]


def test_second_client_shows_nothing_of_the_first(second_client, sample_build):
    config, _ = second_client
    first, _ = sample_build
    assert config.published_dir != first.published_dir
    manifest = json.loads((first.results_dir / "manifest.json").read_text(encoding="utf-8"))
    headline = pd.read_csv(first.results_dir / "headline.csv")
    first_numbers = [f"{r.estimate:.1f} ({r.ci_low:.1f} to {r.ci_high:.1f})" for r in headline.itertuples()]
    data_files = [
        item["sha256"] for item in manifest["inputs"] if item["rows"] is not None
    ]  # journey etc. are shared copies
    markers = ["Nordlys", "nordlys", *data_files, *first_numbers]
    files = published_files(config.published_dir)
    assert len(files) > 20
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        for marker in markers:
            assert marker not in text, (marker, path)
    summary = (config.published_dir / "html" / "notebooks" / "00_executive_summary.html").read_text(encoding="utf-8")
    assert CLIENT_NAME in summary


def test_payloads_execute_nothing_and_show_as_text(second_client):
    config, _ = second_client
    html = config.published_dir / "html"
    visits = visit_book(html)
    shown = "\n".join(v.text for v in visits)
    for visit in visits:
        assert not visit.dialogs, (visit.page, visit.dialogs)
        assert not visit.page_errors and not visit.console_errors, (visit.page, visit.page_errors, visit.console_errors)
    assert SEGMENT_PAYLOAD in shown, "the segment name should be shown as typed"
    assert TYPE_PAYLOAD.split(" {")[0] in shown
    assert sum(payload.split("\n")[0] in shown for payload in COMMENT_PAYLOADS) >= 3, (
        "example comments with payloads should be shown as typed"
    )
    with chromium() as browser:
        page = browser.new_page()
        for visit in visits:
            page.goto(visit.page.resolve().as_uri())
            injected = page.evaluate("""() => ({
                images: document.querySelectorAll('img[src="x"]').length,
                links: document.querySelectorAll('a[href^="javascript:"]').length,
                scripts: Array.from(document.scripts).filter(s => s.text.includes('alert(')).length,
                bold: Array.from(document.querySelectorAll('b')).filter(b => b.textContent === 'x').length,
                danger: document.querySelectorAll('.admonition.danger').length,
            })""")
            assert injected == {"images": 0, "links": 0, "scripts": 0, "bold": 0, "danger": 0}, (visit.page, injected)


def test_teaching_edition_has_code_toggles_open_method_notes_and_exercises(second_client):
    config, config_path = second_client
    assert config.client.slug == "fjellbekk-teaching"
    page = (config.published_dir / "html" / "notebooks" / "02_journey_map.html").read_text(encoding="utf-8")
    assert "tag_hide-input" in page and "highlight-ipython3" in page
    assert "toggle-shown" in page and 'admonition-title">Try it<' in page
    # Every chapter opens with what a learner will learn and ends with takeaways and questions to discuss.
    for chapter in sorted((config.published_dir / "html" / "notebooks").glob("0*.html")):
        text = chapter.read_text(encoding="utf-8")
        for teaching in ("cx-objectives", "cx-takeaways", "cx-discuss"):
            assert text.count(teaching) == 1, (chapter.name, teaching)
        assert text.index("cx-objectives") < text.index("cx-takeaways") < text.index("cx-discuss")
    record = json.loads((config.results_dir / "manifest.json").read_text(encoding="utf-8"))
    assert record["edition"] == "teaching"
    # The parameters a chapter ran with, as shown and as served for download: no folder of the build machine
    # (this client's config lies outside the folder the build ran in, so paths start at the config's folder).
    shown = " ".join(BeautifulSoup(page, "html.parser").get_text(" ").split())
    assert 'config_path = "client.yml"' in shown and f'build_dir = "out/{config.client.slug}"' in shown
    html = config.published_dir / "html"
    assert (html / "book" / "running.html").exists() and "Download source file" in page
    served = [*html.rglob("*.html"), *html.rglob("*.ipynb")]
    assert any(path.suffix == ".ipynb" for path in served)
    for path in served:
        text = path.read_text(encoding="utf-8")
        assert str(config_path.parent) not in text and str(REPO) not in text, path


def test_interrupted_build_leaves_the_published_book_in_place(second_client):
    config, config_path = second_client
    index = config.published_dir / "html" / "index.html"
    before = {
        p: p.read_bytes()
        for p in [
            index,
            config.results_dir / "manifest.json",
            config.published_dir / "html" / "notebooks" / "00_executive_summary.html",
        ]
    }
    process = subprocess.Popen(
        [CLI, "build", "--teaching", str(config_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    executed = staging_dir(config) / "notebooks"
    deadline = time.time() + 180
    while time.time() < deadline and not list(executed.glob("*.ipynb")):
        time.sleep(0.2)
    assert list(executed.glob("*.ipynb")), "the build never reached its chapters"
    os.killpg(process.pid, signal.SIGKILL)  # a crash or a pulled plug: no chance to tidy up
    process.wait()
    for path, content in before.items():
        assert path.read_bytes() == content, f"{path} changed"
    assert staging_dir(config).exists()
    assert not re.search(r"\.building", index.read_text(encoding="utf-8"))
