"""cxanalysis: customer-experience measurement, from survey exports to a book.

The estimators are at the top level (``cx.nps``, ``cx.csat``, ``cx.ces``,
``cx.revenue_at_risk``); chapters open a client with ``cx.open_client`` and
show results with ``cx.table``, ``cx.reading``, ``cx.note`` and ``cx.show``.
"""

from .client import ClientData, open_client
from .config import ClientConfig, load_config
from .display import code_block, note, reading, setup_notebook, show, table
from .errors import CXInputError
from .compare import compare_ces, compare_csat, compare_nps
from .metrics import ces, csat, nps, summarise
from .money import revenue_at_risk

__version__ = "0.1.0"
__all__ = [
    "ClientConfig", "ClientData", "CXInputError", "load_config", "open_client",
    "nps", "csat", "ces", "summarise", "compare_nps", "compare_csat", "compare_ces", "revenue_at_risk",
    "setup_notebook", "table", "reading", "note", "code_block", "show", "__version__",
]
