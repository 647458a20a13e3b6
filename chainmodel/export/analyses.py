"""Every analysis as the JSON the CLI prints: the measure of "the same model" for round trips.

Examples
--------
>>> from chainmodel.model import load_model
>>> from chainmodel.views import chain_view
>>> sorted(analyses_json(chain_view(load_model(["examples/case-b-optout"]))))
['blast_rank', 'cutsets', 'leaks', 'trace', 'validate']
"""

from __future__ import annotations

from ..blast import blast_rank
from ..cutsets import minimal_cut_sets
from ..failures import iter_harms
from ..leaks import single_points_of_failure
from ..serialise import blast_json, cutsets_json, finding_json, leak_json, trace_json
from ..trace import trace_all
from ..validate import validate
from ..views import ChainView

__all__ = ["analyses_json"]


def analyses_json(view: ChainView, order: int = 2) -> dict[str, list]:
    """trace (all duties), leaks, cutsets (up to ``order``), blast --rank and validate, as JSON values.

    Parameters
    ----------
    view : ChainView
    order : int, optional
        The largest cut set sought for each harm (default 2; see
        :func:`chainmodel.cutsets.minimal_cut_sets`).

    Returns
    -------
    dict of str to list
        ``trace``, ``leaks``, ``cutsets``, ``blast_rank`` and ``validate``, each the list of
        JSON values the CLI prints for that analysis, in its order.

    Raises
    ------
    ArgumentError
        ``order`` is not an int from 1 to :data:`chainmodel.cutsets.MAX_ORDER` (when the model
        has a harm).
    """
    return {
        "trace": [trace_json(view, t) for t in trace_all(view)],
        "leaks": [leak_json(view, leak) for leak in single_points_of_failure(view)],
        "cutsets": [cutsets_json(view, harm, minimal_cut_sets(harm, order)) for harm in iter_harms(view)],
        "blast_rank": [blast_json(view, b) for b in blast_rank(view)],
        "validate": [finding_json(view, f) for f in validate(view)],
    }
