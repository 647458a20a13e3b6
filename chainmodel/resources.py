"""Find the files the package ships: the ontology, the shapes and the rules.

The files live in the repository's top-level ``ontologies/`` folder; setup.cfg installs
that folder as the package ``chainmodel.ontologies``, so a plain ``pip install .`` carries
the same bytes. From a source checkout the folder beside the package is used.

Examples
--------
>>> ontology_path("chainmodel.ttl").name
'chainmodel.ttl'
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

__all__ = ["ontology_path", "ONTOLOGY_FILES"]

ONTOLOGY_FILES = ("chainmodel.ttl", "shapes.ttl", "rules.ttl")


@lru_cache(maxsize=None)
def _ontology_dir() -> Path:
    checkout = Path(__file__).resolve().parent.parent / "ontologies"
    if (checkout / "chainmodel.ttl").is_file():
        return checkout
    try:
        installed = Path(str(resources.files("chainmodel.ontologies")))
    except ModuleNotFoundError:  # pragma: no cover - broken installation
        installed = checkout
    if (installed / "chainmodel.ttl").is_file():
        return installed
    raise FileNotFoundError(
        "chainmodel cannot find its ontology files (chainmodel.ttl, shapes.ttl, rules.ttl); "
        "reinstall the package with 'pip install .' from the repository root"
    )


def ontology_path(name: str) -> Path:
    """Return the path of one shipped ontology file (one of ``ONTOLOGY_FILES``)."""
    if name not in ONTOLOGY_FILES:
        raise ValueError(f"unknown ontology file {name!r}; expected one of {ONTOLOGY_FILES}")
    return _ontology_dir() / name
