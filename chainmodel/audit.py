"""The whole audit in one call: validation, single points of failure and the blast ranking.

The three analyses only read the view, so on a machine with more than one core
validation runs in a forked worker process while this one finds the single points of
failure and ranks blast radii; the worker sends its findings back when both are done.
The answers are exactly those of the three functions run one after the other (a test
checks it); ``workers=1`` runs them so.

Examples
--------
>>> from chainmodel.model import load_model
>>> from chainmodel.views import chain_view
>>> result = audit(chain_view(load_model(["examples/case-b-optout"])), workers=1)
>>> len(result.leaks) > 0, result.conforms
(True, True)
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
from dataclasses import dataclass

from .blast import Blast, blast_rank
from .errors import ChainModelError
from .findings import Finding
from .leaks import Leak, single_points_of_failure
from .validate import conforms, validate
from .views import ChainView

__all__ = ["Audit", "audit"]


@dataclass(frozen=True)
class Audit:
    """What ``validate``, ``leaks`` and ``blast --rank`` find, together."""

    findings: tuple[Finding, ...]
    leaks: tuple[Leak, ...]
    blasts: tuple[Blast, ...]

    @property
    def conforms(self) -> bool:
        """No finding of error severity."""
        return conforms(self.findings)


def audit(view: ChainView, *, shacl: bool = True, workers: int | None = None, strict: bool = False) -> Audit:
    """Validate ``view``, find its single points of failure and rank blast radii.

    ``workers`` is how many processes to use: by default 2 when this machine has two
    cores or more and can fork, else 1.

    Parameters
    ----------
    view : ChainView
    shacl : bool, optional
        Also run the SHACL shapes when validating (default True), as
        :func:`chainmodel.validate.validate`.
    workers : int, optional
        Fewer than 2 runs the three analyses one after the other in this process; 2 or more
        validates in one forked worker while this process does the rest, where the platform
        can fork. A view read triple by triple from an Oxigraph store (one without a saved
        view) is always worked on in this process alone.
    strict : bool, optional
        Make the note on terms no analysis reads an error (default False), as
        :func:`chainmodel.validate.validate`.

    Returns
    -------
    Audit
        The findings of :func:`chainmodel.validate.validate`, every single point of failure
        (:func:`chainmodel.leaks.single_points_of_failure`) and the whole blast ranking
        (:func:`chainmodel.blast.blast_rank`), each in the order its function gives.

    Raises
    ------
    ChainModelError
        The validation worker stopped without an answer (out of memory, say), or an error
        it raised could not be sent back whole (the message keeps its text). Any other
        error validation raises, in the worker or here, is raised as it is.
    """
    if workers is None:
        workers = 2 if (os.cpu_count() or 1) > 1 else 1
    can_fork = "fork" in multiprocessing.get_all_start_methods()
    has_saved_view = getattr(view.model.graph, "has_saved_view", None)
    if has_saved_view is not None and not has_saved_view():
        # an Oxigraph store read triple by triple: its handle (and RocksDB's threads) must
        # not be used from a forked process, so everything runs here
        workers = 1
    if workers < 2 or not can_fork:
        findings = validate(view, shacl=shacl, strict=strict)
        return Audit(tuple(findings), tuple(single_points_of_failure(view)), tuple(blast_rank(view)))
    context = multiprocessing.get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    worker = context.Process(target=_validate_in_worker, args=(view, shacl, strict, receiving, sending), daemon=True)
    worker.start()
    sending.close()
    answered = False
    try:
        leaks = tuple(single_points_of_failure(view))
        blasts = tuple(blast_rank(view))
        try:
            outcome, payload = pickle.loads(receiving.recv_bytes())
            answered = True
        except EOFError:
            raise ChainModelError("the validation worker stopped without an answer (out of memory?); "
                                  "run 'chainmodel validate' on its own to see why") from None
    finally:
        receiving.close()
        if not answered:
            worker.terminate()  # it may be blocked writing findings nobody will read
        worker.join()
    if outcome == "error":
        raise payload
    return Audit(tuple(payload), leaks, blasts)


def _validate_in_worker(view: ChainView, shacl: bool, strict: bool, receiving, sending) -> None:
    """Run in the forked worker: validate, then send ("ok", findings) or ("error", exception).

    With a store, only what ``chainmodel load`` saved is read here (JSON and SQLite), never
    the store itself.
    """
    receiving.close()  # the parent's end: closed here, so a parent that stops reading unblocks us
    try:
        message = ("ok", validate(view, shacl=shacl, strict=strict))
    except Exception as error:  # noqa: BLE001 - handed to the parent, which raises it
        message = ("error", error)
    try:
        data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        if message[0] == "error":
            pickle.loads(data)  # an exception the parent could not rebuild is sent as plain text instead
    except Exception:  # noqa: BLE001 - sent as a plain error with the same text
        error = ChainModelError(f"validation failed: {message[1]}; run 'chainmodel validate' on the same model "
                                "to see the whole error")
        data = pickle.dumps(("error", error), protocol=pickle.HIGHEST_PROTOCOL)
    try:
        sending.send_bytes(data)
    except (BrokenPipeError, OSError):
        pass  # the parent has stopped already
    sending.close()
