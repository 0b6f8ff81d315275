"""cxanalysis: customer-experience measurement, from survey exports to a book.

The estimators are at the top level (``cx.nps``, ``cx.csat``, ``cx.ces``,
``cx.revenue_at_risk``); chapters open a client with ``cx.open_client`` and
show results with ``client.table`` (which applies the client's anonymity threshold),
``cx.reading``, ``cx.note`` and ``cx.show``.

The top-level names are imported on first use (PEP 562), so that ``import cxanalysis``
and the command line start without pandas, SciPy, statsmodels or matplotlib.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .client import ClientData as ClientData
    from .client import open_client as open_client
    from .compare import compare_ces as compare_ces
    from .compare import compare_csat as compare_csat
    from .compare import compare_nps as compare_nps
    from .config import ClientConfig as ClientConfig
    from .config import load_config as load_config
    from .display import code_block as code_block
    from .display import note as note
    from .display import reading as reading
    from .display import setup_notebook as setup_notebook
    from .display import show as show
    from .display import solution as solution
    from .errors import CXInputError as CXInputError
    from .metrics import ces as ces
    from .metrics import csat as csat
    from .metrics import nps as nps
    from .metrics import summarise as summarise
    from .money import revenue_at_risk as revenue_at_risk

__version__ = "0.1.0"

#: Each top-level name and the submodule it comes from, imported when the name is first used.
_LAZY: dict[str, str] = {
    "ClientData": "client",
    "open_client": "client",
    "compare_ces": "compare",
    "compare_csat": "compare",
    "compare_nps": "compare",
    "ClientConfig": "config",
    "load_config": "config",
    "code_block": "display",
    "note": "display",
    "reading": "display",
    "setup_notebook": "display",
    "show": "display",
    "solution": "display",
    "CXInputError": "errors",
    "ces": "metrics",
    "csat": "metrics",
    "nps": "metrics",
    "summarise": "metrics",
    "revenue_at_risk": "money",
}

__all__ = [
    "CXInputError",
    "ClientConfig",
    "ClientData",
    "__version__",
    "ces",
    "code_block",
    "compare_ces",
    "compare_csat",
    "compare_nps",
    "csat",
    "load_config",
    "note",
    "nps",
    "open_client",
    "reading",
    "revenue_at_risk",
    "setup_notebook",
    "show",
    "solution",
    "summarise",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
