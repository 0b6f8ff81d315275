"""The report's messages and their catalogues: the template is current, each catalogue is sound, and the
build can say how much of a language is still to translate."""

from __future__ import annotations

import io
import re
import string
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

from conftest import REPO
from cxanalysis import presentation, translation
from cxanalysis.translation import _, ngettext

CATALOGUE_LANGUAGES = [language for language in presentation.LANGUAGES if language != "en"]


def _key(message_id) -> str | tuple[str, ...]:
    return tuple(str(part) for part in message_id) if isinstance(message_id, (list, tuple)) else str(message_id)


def _read(path: Path, language: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=language, domain=translation.DOMAIN)


@pytest.fixture
def report_language():
    """Sets the report language for one test and restores English after it."""
    yield presentation.set_language
    presentation.set_language("en")


@pytest.fixture
def locale_dir(tmp_path, monkeypatch):
    """A locale folder of the test's own, with fresh catalogue caches before and after."""
    monkeypatch.setattr(translation, "LOCALE_DIR", tmp_path)
    monkeypatch.setattr(translation, "TEMPLATE", tmp_path / f"{translation.DOMAIN}.pot")
    translation.catalogue.cache_clear()
    translation._translations.cache_clear()
    yield tmp_path
    translation.catalogue.cache_clear()
    translation._translations.cache_clear()


def _write(path: Path, catalog: Catalog) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog)


def _extracted() -> list[tuple[str | tuple[str, ...], str]]:
    """Every message of the sources as ``make messages`` finds it, with the file it is in."""
    with (REPO / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle, "babel.cfg")
    return [
        (_key(message), filename)
        for filename, _line, message, _comments, _context in extract_from_dir(
            REPO,
            method_map,
            options_map,
            keywords=translation.EXTRACT_KEYWORDS,
            directory_filter=lambda path: (
                Path(path).name not in {"tests", "data", "book", "benchmarks", "docs"}
                and not Path(path).name.startswith((".", "_"))
            ),
        )
    ]


def _msgid(key: str | tuple[str, ...]) -> str:
    """The msgid a catalogue files a message under: a message with plural forms by its singular."""
    return key if isinstance(key, str) else key[0]


def test_the_committed_template_holds_every_message_of_the_sources_and_no_other():
    """A message added or changed without ``make messages`` fails here."""
    extracted = {_msgid(key) for key, _file in _extracted()}
    committed = {_msgid(_key(message.id)) for message in _read(translation.TEMPLATE) if message.id}
    assert extracted, "no message found in the sources: is babel.cfg read from the repository root?"
    new, gone = sorted(extracted - committed), sorted(committed - extracted)
    assert not new and not gone, f"run `make messages`: new {new[:10]}, no longer used {gone[:10]}"


#: Texts used both as a message of their own and as the singular of a count's noun. A catalogue holds one
#: entry per msgid (the plural one), so ``_(text)`` finds no translation: give them different texts.
KNOWN_SINGULAR_AND_PLURAL = {"KPI", "month", "quarter"}


def test_no_new_text_is_both_a_message_and_the_singular_of_a_plural():
    plain = {key for key, _file in _extracted() if isinstance(key, str)}
    singulars = {key[0] for key, _file in _extracted() if isinstance(key, tuple)}
    both = plain & singulars
    assert both <= KNOWN_SINGULAR_AND_PLURAL, sorted(both - KNOWN_SINGULAR_AND_PLURAL)


def test_make_messages_uses_the_keywords_the_tests_extract_with():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    keywords = dict(re.findall(r"-k (\w+)(?::([\d,]+))?", makefile))
    expected = {name: ",".join(map(str, spec)) if spec else "" for name, spec in translation.EXTRACT_KEYWORDS.items()}
    assert keywords == expected


def test_the_chapters_messages_are_in_the_template():
    locations = {path for message in _read(translation.TEMPLATE) for path, _line in message.locations}
    chapters = {f"notebooks/{path.name}" for path in (REPO / "notebooks").glob("[0-9][0-9]_*.md")}
    assert chapters - locations == set()
    message = translation.TEMPLATE.read_text(encoding="utf-8")
    assert 'msgid "Goals in {period}, furthest from target first (chapter 1)"' in message


@pytest.mark.parametrize("language", CATALOGUE_LANGUAGES)
def test_each_catalogue_is_a_two_form_catalogue_of_its_language_holding_the_template(language):
    path = translation.catalogue_path(language)
    catalog = _read(path, language)
    assert str(catalog.locale) == language
    assert catalog.num_plurals == 2
    assert catalog.plural_expr == "(n != 1)"
    template = {_key(message.id) for message in _read(translation.TEMPLATE) if message.id}
    held = {_key(message.id) for message in catalog if message.id}
    assert template <= held, f"run `make messages`: {sorted(map(str, template - held))[:10]}"
    for message in catalog:
        if not message.id or not message.string or message.fuzzy:
            continue
        ids = message.id if isinstance(message.id, (list, tuple)) else (message.id,)
        strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
        wanted = {field for _text, field, _spec, _conv in string.Formatter().parse(ids[-1]) if field}
        for translated in filter(None, strings):
            fields = {field for _text, field, _spec, _conv in string.Formatter().parse(translated) if field}
            assert fields <= wanted, f"{language}: {translated!r} names placeholders {message.id!r} does not give"


def test_untranslated_counts_missing_empty_and_fuzzy_messages(locale_dir):
    template = Catalog(domain=translation.DOMAIN)
    for message in ("Done", "Empty", "Fuzzy", "Absent"):
        template.add(message)
    template.add(("{count} answer", "{count} answers"))
    template.add(("{count} goal", "{count} goals"))
    _write(translation.TEMPLATE, template)
    nb = Catalog(locale="nb", domain=translation.DOMAIN)
    nb.add("Done", "Ferdig")
    nb.add("Empty", "")
    nb.add("Fuzzy", "Uklar", flags=["fuzzy"])
    nb.add(("{count} answer", "{count} answers"), ("{count} svar", "{count} svar"))
    nb.add(("{count} goal", "{count} goals"), ("{count} mål", ""))
    _write(translation.catalogue_path("nb"), nb)

    assert translation.untranslated("nb") == ["Absent", "Empty", "Fuzzy", "{count} goal"]
    assert translation.untranslated("da") == ["Absent", "Done", "Empty", "Fuzzy", "{count} answer", "{count} goal"]
    line = translation.untranslated_report("nb")
    assert line is not None
    assert "nb" in line and "4 messages" in line and str(translation.catalogue_path("nb")) in line
    assert translation.untranslated_report("en") is None
    assert translation.untranslated_report(translation.PSEUDO) is None


def test_a_translated_message_and_the_right_plural_form_are_shown(locale_dir, report_language):
    nb = Catalog(locale="nb", domain=translation.DOMAIN)
    nb.add("Goals on {metric}", "Mål for {metric}")
    nb.add(("{count} answer", "{count} answers"), ("{count} svar (ett)", "{count} svar (flere)"))
    _write(translation.catalogue_path("nb"), nb)
    report_language("nb")
    assert _("Goals on {metric}").format(metric="NPS") == "Mål for NPS"
    assert ngettext("{count} answer", "{count} answers", 1).format(count=1) == "1 svar (ett)"
    assert ngettext("{count} answer", "{count} answers", 2).format(count=2) == "2 svar (flere)"
    assert ngettext("{count} answer", "{count} answers", 0).format(count=0) == "0 svar (flere)"


def test_the_test_language_marks_every_message_and_keeps_english_plurals(report_language):
    report_language(translation.PSEUDO)
    # the message's own words are marked, the value filled in is not: it must be marked itself or be data
    assert _("Goals on {metric}").format(metric="NPS") == "⟦Goals on ⟧NPS"
    assert ngettext("response", "responses", 1) == "⟦response⟧"
    assert ngettext("response", "responses", 3) == "⟦responses⟧"
    # A text the template lacks (composed at run time, say) reaches the reader as written, as it would in
    # any language, and is recorded.
    assert _("Churn next fortnight") == "Churn next fortnight"
    assert "Churn next fortnight" in translation.missing()
    report_language("en")
    assert _("Goals on {metric}") == "Goals on {metric}"
    assert translation.N_("Net Promoter Score") == "Net Promoter Score"


def test_a_notebook_s_messages_are_found_with_their_line_in_the_file():
    chapter = (
        "---\njupytext:\n  text_representation:\n    format_name: myst\n---\n\n# A chapter\n\n"
        'Text that is not code: _("not a message")\n\n'
        "```{code-cell} ipython3\n:tags: [remove-input]\n\n"
        'x = 1\ncx.reading(_("Hello {name}").format(name=x))\n```\n\n'
        '```{code-cell} ipython3\nplural(n, "{count} goal", "{count} goals")\n```\n'
    )
    found = [
        (lineno, message)
        for lineno, message, _comments, _context in extract(
            "cxanalysis.translation:extract_notebook",
            io.BytesIO(chapter.encode("utf-8")),
            keywords=translation.EXTRACT_KEYWORDS,
        )
    ]
    lines = chapter.splitlines()
    assert [message for _line, message in found] == ["Hello {name}", ("{count} goal", "{count} goals")]
    assert "Hello {name}" in lines[found[0][0] - 1]
    assert "{count} goals" in lines[found[1][0] - 1]


def test_every_complete_language_translates_every_message():
    """A language in COMPLETE_LANGUAGES must translate every message of the templates: the package's and
    the chapters' messages, and the page text."""
    assert set(translation.COMPLETE_LANGUAGES) <= set(CATALOGUE_LANGUAGES)
    incomplete = {
        language: translation.untranslated(language) + translation.untranslated_pages(language)
        for language in translation.COMPLETE_LANGUAGES
    }
    assert all(not messages for messages in incomplete.values()), {
        language: messages[:10] for language, messages in incomplete.items() if messages
    }


def test_the_page_templates_hold_the_pages_text_now(tmp_path):
    """The page text's templates are up to date: `make messages` after changing a page's narrative."""
    from babel.messages.pofile import read_po

    extracted = translation.extract_pages(tmp_path)
    for domain, template in extracted.items():
        with (translation.page_locale_dir() / f"{domain}.pot").open("rb") as handle:
            committed = read_po(handle, domain=domain)
        now = {m.id for m in template if m.id}
        kept = {m.id for m in committed if m.id}
        assert now == kept, f"run `make messages`: new {sorted(now - kept)[:5]}, gone {sorted(kept - now)[:5]}"
    assert "Executive summary" in {m.id for m in extracted["notebooks"]}
    for language in translation.CATALOGUE_LANGUAGES:
        for domain in translation.PAGE_DOMAINS:
            assert (translation.page_locale_dir() / language / "LC_MESSAGES" / f"{domain}.po").exists()


def test_a_translated_page_paragraph_reaches_the_built_page(tmp_path):
    """Sphinx reads the compiled page catalogue of the book's language: a page in Norwegian shows its
    translated heading and paragraph, and its <html lang>."""
    import subprocess
    import sys

    import yaml
    from babel.messages.pofile import write_po

    source = tmp_path / "pages"
    source.mkdir()
    (source / "page.md").write_text("# Executive summary\n\nEvery number has its interval.\n", encoding="utf-8")
    (source / "_toc.yml").write_text("format: jb-book\nroot: page\n", encoding="utf-8")
    config = {"title": "T", "sphinx": {"config": {"language": "nb_NO", "locale_dirs": ["locale/"]}}}
    (source / "_config.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    catalogue = Catalog(locale="nb", domain="page")
    catalogue.add("Executive summary", "Sammendrag for ledelsen")
    catalogue.add("Every number has its interval.", "Hvert tall har sitt intervall.")
    (source / "locale" / "nb" / "LC_MESSAGES").mkdir(parents=True)
    with (source / "locale" / "nb" / "LC_MESSAGES" / "page.po").open("wb") as handle:
        write_po(handle, catalogue)
    translation.compile_page_catalogues(source / "locale")
    jupyter_book = str(Path(sys.executable).parent / "jupyter-book")
    done = subprocess.run([jupyter_book, "build", str(source), "-q"], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    page = (source / "_build" / "html" / "page.html").read_text(encoding="utf-8")
    assert "Sammendrag for ledelsen" in page and "Hvert tall har sitt intervall." in page
    assert '<html lang="nb-NO"' in page or 'lang="nb-NO"' in page
