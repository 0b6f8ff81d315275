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


def setup(app):
    _theme_catalogue_for_bokmal(app)
    app.connect("html-page-context", _scripts_once)
    # After the theme, which puts the configured author into each page's context.
    app.connect("html-page-context", _book_text_escaped, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
