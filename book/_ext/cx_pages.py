"""Sphinx extension of the cxanalysis book: the book's own text is text, and each script appears once per page.

The book's title and author come from the client's config (the report title
and the client's name). Sphinx and the theme print them in the page title,
the navbar, the search page and the footer, some escaped and some not (Jinja
autoescape is off in Sphinx templates); a name such as "R&D <Nord>" would
break the markup and an ``<img onerror=...>`` would run on every page. They
are escaped once, here, as markup-safe strings, so that templates that
escape them leave them as they are and templates that do not print them
escaped.

With Jupyter Book 1.x two extensions register their inline settings twice
(sphinx-thebe's ``const THEBE_JS_URL``, sphinx-togglebutton's selector); the
repeated ``const`` is a script error in every page. The page keeps the first.
"""

import shutil
from pathlib import Path

from markupsafe import Markup, escape

#: Page-context values that carry the book's configured text.
BOOK_TEXT = ("docstitle", "shorttitle", "project", "author")


def _book_text_escaped(app, pagename, templatename, context, doctree):
    for key in BOOK_TEXT:
        value = context.get(key)
        if isinstance(value, str) and not isinstance(value, Markup):
            context[key] = escape(value)


def _scripts_once(app, pagename, templatename, context, doctree):
    seen, kept = set(), []
    for script in context.get("script_files", []):
        key = (str(script.filename or ""), tuple(sorted(script.attributes.items())))  # None and "" both mean inline
        if key not in seen:
            seen.add(key)
            kept.append(script)
    context["script_files"] = kept


def _theme_catalogue_for_bokmal(app) -> None:
    """The book theme ships its Norwegian interface text under ``no``, while Sphinx names bokmål
    ``nb_NO``: a copy under ``nb_NO`` beside the build lets the theme's words ("Contents", "Search")
    follow the book's language."""
    if not str(app.config.language or "").startswith("nb"):
        return
    import sphinx_book_theme

    theme = Path(sphinx_book_theme.__file__).parent / "theme" / "sphinx_book_theme" / "static" / "locales"
    catalogue = theme / "no" / "LC_MESSAGES" / "booktheme.mo"
    if not catalogue.exists():
        return
    locales = Path(app.doctreedir).parent / "cx-locales"
    target = locales / str(app.config.language) / "LC_MESSAGES"
    target.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(catalogue, target / "booktheme.mo")
    app.add_message_catalog("booktheme", str(locales))


#: The notebook renderer of each page, by its source, as the page's own glue roles found it. Sphinx
#: parses a translated paragraph as a document of its own, after myst-nb has let go of the renderer
#: that holds the values the chapter glued; the paragraph's roles look them up here.
_renderers: dict = {}


def _glue_from_the_page(retrieve):
    def retrieve_on_the_page(document, key):
        source = document.get("source") if hasattr(document, "get") else None
        if "nb_renderer" in document:
            _renderers[source] = _renderers[None] = document["nb_renderer"]
            return retrieve(document, key)
        renderer = _renderers.get(source, _renderers.get(None))
        return retrieve(document if renderer is None else {"nb_renderer": renderer}, key)

    return retrieve_on_the_page


def _glue_in_translated_paragraphs() -> None:
    """A translated paragraph quotes the chapter's glued values ({glue:text}`alpha`) as the original does."""
    from myst_nb.ext.glue import directives, roles, utils

    lookup = _glue_from_the_page(utils.retrieve_glue_data)
    roles.retrieve_glue_data = lookup
    directives.retrieve_glue_data = lookup


def _translated_formulas():
    """A transform that translates each formula (a math block) as text, before Sphinx's own translation.

    Sphinx hands a translated literal block back to the page's parser as reStructuredText, an indented
    block after ``::``; the book's pages are MyST, which reads that as a paragraph, so a translated
    formula showed as ``::``. Here the formula's translation from the page's catalogue replaces its
    text, and the block is marked as translated, so Sphinx leaves it alone.
    """
    from os import path

    from docutils import nodes
    from sphinx.locale import init as init_locale
    from sphinx.transforms import SphinxTransform
    from sphinx.util.i18n import docname_to_domain

    class TranslatedFormulas(SphinxTransform):
        default_priority = 19  # Sphinx's Locale transform runs at 20

        def apply(self, **kwargs):
            if not self.config.language or self.config.language == "en":
                return
            domain = docname_to_domain(self.env.docname, self.config.gettext_compact)
            dirs = [path.join(self.env.srcdir, folder) for folder in self.config.locale_dirs]
            catalogue, found = init_locale(dirs, self.config.language, domain)
            if not found:
                return
            for block in self.document.findall(nodes.math_block):
                formula = block.rawsource or block.astext()
                translated = catalogue.gettext(formula)
                if translated and translated != formula:
                    block.children = [nodes.Text(translated)]
                    block.rawsource = translated
                block["translatable"] = False

    return TranslatedFormulas


def setup(app):
    app.add_transform(_translated_formulas())
    _theme_catalogue_for_bokmal(app)
    _glue_in_translated_paragraphs()
    app.connect("html-page-context", _scripts_once)
    # After the theme, which puts the configured author into each page's context.
    app.connect("html-page-context", _book_text_escaped, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
