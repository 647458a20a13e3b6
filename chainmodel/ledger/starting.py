"""``chainmodel init``: a folder with a small commented model and an empty ledger to fill.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp()) / "new"
>>> sorted(p.name for p in init_folder(folder, lang="ja"))
['ledger.xlsx', 'model.ttl']
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from ..errors import OutputRefused
from ..outfiles import write_output
from .columns import SHEETS
from .writing import LedgerTables, ledger_workbook

__all__ = ["init_folder", "TEMPLATE_BASE"]

TEMPLATE_BASE = "https://example.org/your-ledger#"


def _template(lang: str) -> bytes:
    name = f"model-{'ja' if lang == 'ja' else 'en'}.ttl"
    try:
        return resources.files("chainmodel.templates").joinpath(name).read_bytes()
    except (ModuleNotFoundError, FileNotFoundError):  # a source checkout run without installing
        return (Path(__file__).resolve().parent.parent / "templates" / name).read_bytes()


def init_folder(folder: str | Path, lang: str = "en") -> list[Path]:
    """Write ``model.ttl`` and an empty ``ledger.xlsx`` (every column explained) into a new or empty folder.

    Parameters
    ----------
    folder : str or Path
        Created if missing; must be empty if it exists.
    lang : str
        "en" or "ja": comments, headers, sheet names and notes.

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    OutputRefused
        The folder is a symbolic link or a file, or is not empty.
    """
    target = Path(folder)
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise OutputRefused(f"{target} is not a folder; name a new or empty folder")
    if target.exists() and any(target.iterdir()):
        raise OutputRefused(f"{target} is not empty; chainmodel init writes only into a new or empty folder")
    target.mkdir(parents=True, exist_ok=True)
    empty = LedgerTables(TEMPLATE_BASE, {sheet.key: [] for sheet in SHEETS})
    written = [write_output(target / "model.ttl", _template(lang)),
               write_output(target / "ledger.xlsx", ledger_workbook(empty, lang))]
    return written
