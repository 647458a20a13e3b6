"""Models out to the tools others use: PROV-O + DPV, SARIF 2.1.0, GraphML and DOT.

Examples
--------
>>> from chainmodel.model import load_model
>>> from chainmodel.views import chain_view
>>> view = chain_view(load_model(["examples/case-b-optout"]))
>>> export_bytes("dot", view) == export_bytes("dot", view)
True
"""

from __future__ import annotations

from ..views import ChainView

__all__ = ["export_bytes", "FORMATS"]

FORMATS = ("prov", "sarif", "graphml", "dot")


def export_bytes(target: str, view: ChainView, lang: str = "en", sources: tuple[str, ...] = ()) -> bytes:
    """The model in one of ``FORMATS``, as bytes.

    Parameters
    ----------
    target : str
        One of :data:`FORMATS`: ``"prov"`` (PROV-O and DPV in Turtle), ``"sarif"`` (SARIF 2.1.0),
        ``"graphml"`` or ``"dot"``.
    view : ChainView
    lang : str, optional
        ``"en"`` (the default) or ``"ja"``: the language of the DOT labels, and of the SARIF
        rules' short descriptions and single points of failure (see
        :func:`chainmodel.export.sarif.sarif_log`).
    sources : tuple of str, optional
        The paths of the model's files; the PROV header names their file names.

    Returns
    -------
    bytes
        The export in UTF-8 (GraphML declares it).

    Raises
    ------
    ValueError
        ``target`` is not one of ``FORMATS``.
    """
    from pathlib import Path

    names = tuple(Path(s).name for s in sources)
    if target == "prov":
        from .prov import prov_turtle

        return prov_turtle(view, names).encode("utf-8")
    if target == "sarif":
        from .sarif import sarif_bytes

        return sarif_bytes(view, lang)
    if target == "graphml":
        from .graphs import graphml_bytes

        return graphml_bytes(view)
    if target == "dot":
        from .graphs import dot_text

        return dot_text(view, lang).encode("utf-8")
    raise ValueError(f"unknown export format {target!r}; use one of {', '.join(FORMATS)}")
