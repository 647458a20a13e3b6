"""chainmodel: outsourcing chains of personal data as an RDF graph, and what can fail in them.

The Python API offers everything the CLI does:

>>> import chainmodel
>>> model = chainmodel.load_model(["examples/case-b-optout"])
>>> view = chainmodel.chain_view(model)
>>> [len(chain.links) for chain in chainmodel.trace_duty(view, model.resolve("accepting and reporting opt-out requests")).chains]
[3, 2]
"""

from .audit import audit
from .blast import blast_radius, blast_rank
from .cutsets import minimal_cut_sets, single_points
from .errors import *  # noqa: F401,F403
from .exposure import exposure
from .failures import harms
from .leaks import single_points_of_failure
from .loading import load_graph
from .model import ChainModel, load_model
from .namespace import CM
from .trace import trace_all, trace_duty
from .snapshot import chain_view  # the view a store saved at load, else derived

__version__ = "0.1.0"

__all__ = [
    "CM",
    "ChainModel",
    "audit",
    "blast_radius",
    "blast_rank",
    "chain_view",
    "exposure",
    "harms",
    "load_graph",
    "load_model",
    "minimal_cut_sets",
    "single_points",
    "single_points_of_failure",
    "trace_all",
    "trace_duty",
]
