"""Terms link to the glossary: every term a chapter or page links, in English and in each translation,
is a term the glossary defines, and every translation of a linked text links the same terms."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from conftest import REPO
from cxanalysis import translation

#: A MyST term role, ``{term}`shown text <Glossary term>``` or ``{term}`Glossary term```: its target.
TERM_ROLE = re.compile(r"\{term\}`(?:[^`<]*<([^`>]+)>|([^`<]+))`")


def _targets(text: str) -> list[str]:
    return [explicit or plain for explicit, plain in TERM_ROLE.findall(text)]


def _glossary_terms() -> set[str]:
    text = (REPO / "book" / "glossary.md").read_text(encoding="utf-8")
    body = text.split("```{glossary}\n", 1)[1].rsplit("```", 1)[0]
    return {line for line in body.splitlines() if line and not line.startswith(" ")}


def test_the_glossary_defines_each_term_once_with_a_definition():
    text = (REPO / "book" / "glossary.md").read_text(encoding="utf-8")
    body = text.split("```{glossary}\n", 1)[1].rsplit("```", 1)[0]
    entries = [entry.splitlines() for entry in body.strip().split("\n\n")]
    assert len(entries) >= 25
    for entry in entries:
        assert len(entry) == 2 and entry[1].startswith("  ") and len(entry[1].strip()) > 20, entry
    terms = [entry[0] for entry in entries]
    assert len(set(terms)) == len(terms)
    assert terms == sorted(terms, key=str.casefold), "the glossary is in alphabetical order"


def test_every_chapter_of_the_program_links_its_terms_to_the_glossary():
    terms = _glossary_terms()
    chapters = sorted((REPO / "notebooks").glob("0*.md"))
    assert len(chapters) == 9
    for chapter in chapters:
        linked = _targets(chapter.read_text(encoding="utf-8"))
        assert linked, f"{chapter.name} links no term to the glossary"
        assert set(linked) <= terms, (chapter.name, set(linked) - terms)


@pytest.mark.parametrize("language", translation.CATALOGUE_LANGUAGES)
def test_each_translation_links_the_same_glossary_terms_as_its_source(language):
    terms = _glossary_terms()
    checked = 0
    for domain in translation.PAGE_DOMAINS:
        path = translation.page_locale_dir() / language / "LC_MESSAGES" / f"{domain}.po"
        with path.open("rb") as handle:
            catalogue = read_po(handle, locale=language, domain=domain)
        for message in catalogue:
            if not message.id or "{term}" not in str(message.id):
                continue
            checked += 1
            source, translated = _targets(str(message.id)), _targets(str(message.string))
            assert sorted(translated) == sorted(source), (language, message.id, message.string)
            assert set(translated) <= terms
    assert checked >= 9
