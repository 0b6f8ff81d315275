"""cxanalysis: customer-experience measurement, from survey exports to a book.

The estimators are at the top level (``cx.nps``, ``cx.csat``, ``cx.ces``,
``cx.revenue_at_risk``); chapters open a client with ``cx.open_client`` and
show results with ``client.table`` (which applies the client's anonymity threshold),
``cx.reading``, ``cx.note`` and ``cx.show``.
"""

from .client import ClientData, open_client
from .compare import compare_ces, compare_csat, compare_nps
from .config import ClientConfig, load_config
from .display import code_block, note, reading, setup_notebook, show, solution
from .errors import CXInputError
from .metrics import ces, csat, nps, summarise
from .money import revenue_at_risk

__version__ = "0.1.0"
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
