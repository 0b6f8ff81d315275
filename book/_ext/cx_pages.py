"""Sphinx extension of the cxanalysis book: each script appears once per page.

With Jupyter Book 1.x two extensions register their inline settings twice
(sphinx-thebe's ``const THEBE_JS_URL``, sphinx-togglebutton's selector); the
repeated ``const`` is a script error in every page. The page keeps the first.
"""


def _scripts_once(app, pagename, templatename, context, doctree):
    seen, kept = set(), []
    for script in context.get("script_files", []):
        key = (str(script.filename or ""), tuple(sorted(script.attributes.items())))  # None and "" both mean inline
        if key not in seen:
            seen.add(key)
            kept.append(script)
    context["script_files"] = kept


def setup(app):
    app.connect("html-page-context", _scripts_once)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
