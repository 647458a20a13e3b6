"""No module imports a module of a layer above its own (issue 13: the storage layer imports
nothing above it, and the store/snapshot cycle is gone).

Every ``from .x import`` and ``from . import x`` in the package counts, at module level or
inside a function alike: an import deferred into a function is still a dependency.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "chainmodel"

LAYERS = [
    {"errors"},
    {"findings"},
    {"namespace", "escaping", "sparqltext", "progress", "outfiles", "timepoints", "population", "standards",
     "catalogue", "phrases"},
    {"resources"},
    {"safety"},
    {"loading"},
    {"endpoint", "store", "tablegraph"},
    {"sparql"},
    {"model"},
    {"views"},
    {"snapshot", "shapes", "shacl", "validate", "failures", "exposure", "cutsets", "leaks", "blast",
     "trace", "describe", "audit", "whatif", "generate", "law", "basis", "contract", "lawful", "reporting", "rulebook",
     "vocabulary", "access", "deadlines", "timeline", "portfolio"},
    {"serialise"},
    {"jsondoc", "whatif_json"},
    {"dossier", "drawing", "layout", "overview"},
    {"text", "diagram", "report", "timeline_text", "whatif_text"},
    {"answers"},
    {"cli", "__main__", "__init__"},
]
RANK = {name: rank for rank, layer in enumerate(LAYERS) for name in layer}


def imports_of(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                found.add(node.module.split(".")[0])
            else:
                found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("chainmodel."):
            found.add(node.module.split(".")[1])
    return found


def test_every_module_has_a_layer():
    modules = {path.stem for path in PACKAGE.glob("*.py")}
    assert modules - set(RANK) == set(), "place the new module in LAYERS"
    assert len(RANK) == sum(len(layer) for layer in LAYERS), "a module is in two layers"


@pytest.mark.parametrize("path", sorted(PACKAGE.glob("*.py")), ids=lambda path: path.stem)
def test_no_module_imports_a_layer_above_it(path):
    if path.stem == "__init__":
        return  # the package re-exports the API
    above = sorted(name for name in imports_of(path) if RANK.get(name, -1) > RANK[path.stem])
    assert above == [], f"{path.stem} (layer {RANK[path.stem]}) imports {above} from above it"


def test_the_storage_layer_does_not_know_the_view():
    for name in ("loading", "store", "endpoint"):
        assert not imports_of(PACKAGE / f"{name}.py") & {"model", "views", "snapshot", "shapes"}, name
    assert "store" not in imports_of(PACKAGE / "views.py")
    assert "saved_view" not in (PACKAGE / "views.py").read_text(encoding="utf-8")
