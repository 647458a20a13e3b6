"""Deterministic synthetic consignment chains, streamed as N-Triples.

The generated models follow the conventions of the hand-written examples
(``examples/case-a-laptop`` and ``examples/case-b-optout``) so that every analysis can be
run on them unchanged, at any size:

* ``N`` principals (insurers and hospitals, ``cm:Organisation`` and ``cm:Principal``) each
  consign (tier 1) to one consignee drawn from a shared pool of ``N // 5 + 3`` consignees.
  The draw is Zipf-like (a continuous power law sampled by inverse CDF), so a few
  consignees serve many principals: concentration risk. With the default exponent 0.6 the
  busiest consignee serves about ``M ** -0.4`` of the principals (``M`` the pool size):
  about a fifth for ``N = 200``, about 4 % for ``N = 20000``.
* A share of the tier-1 consignments (``reconsign_share``, default 0.4) is re-consigned
  (tier 2) to a pool of ``N // 10 + 3`` re-consignees, and a smaller share of all chains
  (``rereconsign_share``, default 0.15, counted against the tier-1 consignments like the
  first share) is re-re-consigned (tier 3) to another member of that pool. A
  re-consignment ``cm:extends`` its parent and its consignor is the parent's consignee. About
  ``unapproved_share`` (default 0.1) of re-consignments carry ``cm:ApprovalNotRecorded``;
  the rest ``cm:Approved`` with ``cm:approvedBy`` the consignor of the parent.
* Every principal has an opt-out reporting duty, performed by the deepest consignee of its
  chain: a ``cm:Report`` passes opt-out requests from the principal to the performer, and
  monthly ``cm:Report`` hand-offs (cadence ``P1M``) run back up the chain to the tier-1
  consignee. A share (``exclusion_share``, default 0.75) also has an exclusion duty,
  performed by the tier-1 consignee, which ``cm:needs`` the reporting duty, ``cm:protects``
  the opted-out subset of the principal's data and guards a ``cm:DataProvision`` from the
  tier-1 consignee to a producer or recipient (a pool of ``N // 20 + 2``, shared, Zipf-like)
  with a ``cm:leadTime`` of two to four months. Principals with one duty have only the
  reporting duty.
* Every principal has one data asset with ``cm:subjectCount`` (log-uniform 100..200000)
  and ``cm:countFor`` the principal, entrusted by ``cm:entrustsData`` on every consignment of
  its chain; about ``sensitive_share`` (0.3) of the assets have a sensitive
  ``cm:DataCategory`` (the asset's sensitivity is derived from it, as in case A).
* A share of the pool parties (``device_share``, 0.3) keeps copies on one device; about
  ``portable_share`` (0.2) of those devices are portable (laptops, USB sticks), and a
  portable device is protected by full-disk encryption (``cm:rulesOutLeak true``, 40 %), by
  a password lock or fingerprint authentication (``cm:rulesOutLeak false``, 40 %) or not at
  all (20 %). For each party of a chain that has a device, the principal's data is copied
  onto it with probability ``copy_share`` (0.5).
* For a share (``detective_share``, 0.3) of the chains with a re-consignment, a
  reconciliation (``cm:DetectiveControl``) operated by the tier-1 consignee or the principal
  covers the monthly reports, notifies its operator and has a ``cm:detectionLatency`` of
  ``P1M`` (detects within the lead time) or ``P6M`` (too late).
* One regulator (``cm:Regulator``). Every party, duty, asset, hand-off, consignment, copy,
  device and control has an English and a Japanese ``rdfs:label``.

Size. A principal contributes about 69 triples with the default knobs (pools included);
a consignment resource itself has 8 to 11 triples, and there are about 1.55 consignments
per principal. :func:`estimate_triples` gives the expected count for any knobs and
:func:`principals_for_triples` inverts it:

=============  ===================
triples        principals (about)
=============  ===================
10**5          1 454
10**6          14 544
10**7          145 446
=============  ===================

Determinism and memory. All randomness comes from :class:`random.Random` instances seeded
from ``seed`` and the index of the element they decide (a principal, a pool party), using
only ``Random.random()`` (string seeds are hashed with SHA-512, so the streams do not depend
on ``PYTHONHASHSEED``); no global random state, clock or uuid is used. The same arguments
give byte-identical output, the order is fixed (regulator, categories, pools, then the
principals in order), and nothing is accumulated: memory does not grow with ``N``.

Examples
--------
>>> lines = list(generate_triples(3, seed=1))
>>> lines[0].endswith(" .\\n")
True
>>> lines == list(generate_triples(3, seed=1))
True
>>> estimate_triples(14700) > 900_000
True
"""

from __future__ import annotations

import io
import math
import os
import random
import re
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from .errors import ArgumentError

__all__ = [
    "BASE",
    "DEFAULT_KNOBS",
    "generate_triples",
    "write_model",
    "estimate_triples",
    "principals_for_triples",
    "pool_sizes",
]

BASE = "https://example.org/chainmodel/generated/"
"""Namespace of every generated IRI."""

DEFAULT_KNOBS: dict[str, float] = {
    "reconsign_share": 0.4,
    "rereconsign_share": 0.15,
    "unapproved_share": 0.1,
    "exclusion_share": 0.75,
    "sensitive_share": 0.3,
    "device_share": 0.3,
    "portable_share": 0.2,
    "copy_share": 0.5,
    "detective_share": 0.3,
    "zipf_exponent": 0.6,
}
"""The knobs :func:`generate_triples` accepts, with their defaults (see its docstring)."""

# ---------------------------------------------------------------------------- terms

_CM = "https://w3id.org/chainmodel#"
_RULE = "https://w3id.org/chainmodel/rule#"
_XSD = "http://www.w3.org/2001/XMLSchema#"

_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"


def _c(name: str) -> str:
    return f"<{_CM}{name}>"


# classes and individuals
_ORGANISATION = _c("Organisation")
_PRINCIPAL = _c("Principal")
_REGULATOR = _c("Regulator")
_PRODUCER = _c("Producer")
_RECIPIENT = _c("Recipient")
_CONSIGNMENT = _c("Consignment")
_DUTY = _c("Duty")
_DATA_ASSET = _c("DataAsset")
_DATA_CATEGORY = _c("DataCategory")
_SUBJECT_COUNT = _c("SubjectCount")
_DATA_COPY = _c("DataCopy")
_DEVICE = _c("Device")
_REPORT = _c("Report")
_DATA_PROVISION = _c("DataProvision")
_PROVISION_UNDER_LAW = _c("ProvisionUnderLaw")
_PREVENTIVE = _c("PreventiveControl")
_DETECTIVE = _c("DetectiveControl")
_APPROVED = _c("Approved")
_NOT_RECORDED = _c("ApprovalNotRecorded")
# properties
_PROVIDER = _c("provider")
_RECIPIENT_OF = _c("recipient")
_PROVIDES_DATA = _c("providesData")
_CONSIGNOR = _c("consignor")
_CONSIGNEE = _c("consignee")
_EXTENDS = _c("extends")
_ENTRUSTS = _c("entrusts")
_ENTRUSTS_DATA = _c("entrustsData")
_APPROVAL = _c("approval")
_APPROVED_BY = _c("approvedBy")
_ACCOUNTABLE = _c("accountable")
_PERFORMED_BY = _c("performedBy")
_LEGAL_BASIS = _c("legalBasis")
_NEEDS = _c("needs")
_PROTECTS = _c("protects")
_SENDER = _c("sender")
_RECEIVER = _c("receiver")
_SERVES = _c("serves")
_CARRIES = _c("carries")
_GUARDED_BY = _c("guardedBy")
_LEAD_TIME = _c("leadTime")
_CADENCE = _c("cadence")
_CONTROLLER = _c("controller")
_SUBJECT_COUNT_P = _c("subjectCount")
_COUNT_FOR = _c("countFor")
_PRINCIPAL_P = _c("principal")
_COUNT = _c("count")
_CATEGORY = _c("category")
_SENSITIVE = _c("sensitive")
_SUBSET_OF = _c("subsetOf")
_COPY_OF = _c("copyOf")
_STORED_ON = _c("storedOn")
_HELD_BY = _c("heldBy")
_PORTABLE = _c("portable")
_RULES_OUT_LEAK = _c("rulesOutLeak")
_OPERATED_BY = _c("operatedBy")
_COVERS = _c("covers")
_NOTIFIES = _c("notifies")
_DETECTION_LATENCY = _c("detectionLatency")

_APPI_27 = f"<{_RULE}appi-27>"

_TRUE = f'"true"^^<{_XSD}boolean>'
_FALSE = f'"false"^^<{_XSD}boolean>'


def _int(value: int) -> str:
    return f'"{value}"^^<{_XSD}integer>'


def _duration(value: str) -> str:
    return f'"{value}"^^<{_XSD}duration>'


_P1M = _duration("P1M")
_P6M = _duration("P6M")
_LEAD_TIMES = (_duration("P2M"), _duration("P3M"), _duration("P4M"))


# Line breaks (for N-Triples and for str.splitlines) are escaped: one line, one triple.
_LINE_BREAKS = str.maketrans(
    {ch: f"\\u{ord(ch):04X}" for ch in "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"}
)

_NEEDS_ESCAPE = re.compile(r'[\\"\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]')


def _esc(text: str) -> str:
    """Escape a string for an N-Triples literal (quote, backslash and every line break)."""
    if _NEEDS_ESCAPE.search(text) is None:  # the common case: generated labels are plain
        return text
    return (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").translate(_LINE_BREAKS)
    )


def _iri(local: str) -> str:
    return f"<{BASE}{local}>"


# ---------------------------------------------------------------------------- fixed parts

# (local name, English, Japanese, sensitive)
_CATEGORIES = (
    ("name", "name", "氏名", False),
    ("birth-date", "date of birth", "生年月日", False),
    ("address", "address", "住所", False),
    ("phone", "phone number", "電話番号", False),
    ("insurance-card", "insurance-card symbol and number", "保険証記号・番号", False),
    ("email", "e-mail address", "メールアドレス", False),
    ("medical-history", "medical history", "病歴", True),
    ("checkup-results", "health-checkup results", "健康診断の結果", True),
    ("pregnancy", "pregnancy-related information", "妊娠に関する情報", True),
)
_PLAIN_CATEGORIES = tuple(_iri(f"category-{c[0]}") for c in _CATEGORIES if not c[3])
_SENSITIVE_CATEGORIES = tuple(_iri(f"category-{c[0]}") for c in _CATEGORIES if c[3])
_REGULATOR_IRI = _iri("regulator")

# Pool kinds: (IRI segment, English name, Japanese name)
_CONSIGNEE_POOL = ("consignee", "Consignee Co. {}", "受託事業者{}")
_SUBCONTRACTOR_POOL = ("subcontractor", "Sub-contractor Co. {}", "再委託先事業者{}")

_DEVICE_KINDS = {
    "laptop": ("laptop of {}", "{}のノートパソコン"),
    "usb": ("USB stick of {}", "{}のUSBメモリ"),
    "server": ("file server of {}", "{}のファイルサーバ"),
}
_PROTECTIONS = {
    "encryption": ("full-disk encryption of {}", "{}の全体暗号化", _TRUE),
    "password": ("password lock of {}", "{}のパスワードロック", _FALSE),
    "fingerprint": ("fingerprint authentication of {}", "{}の指紋認証", _FALSE),
}


def pool_sizes(principals: int) -> tuple[int, int, int]:
    """Return the sizes of the consignee, re-consignee and recipient pools.

    Parameters
    ----------
    principals : int
        Number of principals ``N``.

    Returns
    -------
    tuple of int
        ``(N // 5 + 3, N // 10 + 3, N // 20 + 2)``.

    Examples
    --------
    >>> pool_sizes(200)
    (43, 23, 12)
    """
    return principals // 5 + 3, principals // 10 + 3, principals // 20 + 2


def _check_knobs(knobs: dict) -> dict[str, float]:
    unknown = sorted(set(knobs) - set(DEFAULT_KNOBS))
    if unknown:
        raise ArgumentError(
            f"unknown knob(s) {', '.join(unknown)}; expected some of {', '.join(DEFAULT_KNOBS)}"
        )
    merged = {**DEFAULT_KNOBS, **knobs}
    for name, value in merged.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ArgumentError(f"knob {name} must be a number, not {value!r}")
        upper_open = name == "zipf_exponent"
        if not (0.0 <= value < 1.0 if upper_open else 0.0 <= value <= 1.0):
            bound = "[0, 1)" if upper_open else "[0, 1]"
            raise ArgumentError(f"knob {name}={value!r} is outside {bound}")
    if merged["rereconsign_share"] > merged["reconsign_share"]:
        raise ArgumentError(
            "rereconsign_share must not exceed reconsign_share (both are shares of the tier-1 "
            "consignments; a tier-3 chain is also a re-consigned one)"
        )
    return {k: float(v) for k, v in merged.items()}


def _check_args(principals: int, seed: int) -> None:
    if isinstance(principals, bool) or not isinstance(principals, int):
        raise ArgumentError(f"principals must be an int, not {principals!r}")
    if principals < 1:
        raise ArgumentError(f"principals must be at least 1, not {principals}")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ArgumentError(f"seed must be an int, not {seed!r}")


def _zipf(u: float, size: int, power: float) -> int:
    """Index in ``range(size)`` for a uniform ``u``: density proportional to ``x ** -s``."""
    index = int(size * u**power)
    return index if index < size else size - 1


@lru_cache(maxsize=8192)
def _device(seed: int, pool: str, index: int, device_share: float, portable_share: float):
    """The device a pool party keeps copies on, or None; decided by the party's own stream.

    Returns ``(kind, protection or None)``. Cached with a bounded size, so memory stays flat.
    """
    rng = random.Random(f"chainmodel/{seed}/{pool}/{index}")
    if rng.random() >= device_share:
        return None
    if rng.random() < portable_share:
        kind = "laptop" if rng.random() < 0.6 else "usb"
        v = rng.random()
        if v < 0.4:
            protection = "encryption"
        elif v < 0.8:
            protection = "password" if kind == "usb" or rng.random() < 0.5 else "fingerprint"
        else:
            protection = None
        return kind, protection
    return "server", None


# ---------------------------------------------------------------------------- emission
#
# Every function below returns a list of whole N-Triples lines, one string per triple, so
# that streaming allocates about one string per triple and nothing across principals.


def _labelled(out: list, subject: str, en: str, ja: str) -> None:
    out.append(f'{subject} {_LABEL} "{_esc(en)}"@en .\n')
    out.append(f'{subject} {_LABEL} "{_esc(ja)}"@ja .\n')


def _pool_party(seed: int, pool: tuple[str, str, str], index: int, k: dict) -> list[str]:
    segment, en, ja = pool
    party = _iri(f"{segment}-{index}")
    name_en, name_ja = en.format(index), ja.format(index)
    out = [f"{party} {_TYPE} {_ORGANISATION} .\n"]
    _labelled(out, party, name_en, name_ja)
    spec = _device(seed, segment, index, k["device_share"], k["portable_share"])
    if spec is not None:
        kind, protection = spec
        device = _iri(f"{segment}-{index}-device")
        den, dja = _DEVICE_KINDS[kind]
        out.append(f"{device} {_TYPE} {_DEVICE} .\n")
        _labelled(out, device, den.format(name_en), dja.format(name_ja))
        out.append(f"{device} {_PORTABLE} {_FALSE if kind == 'server' else _TRUE} .\n")
        out.append(f"{device} {_HELD_BY} {party} .\n")
        if protection is not None:
            control = _iri(f"{segment}-{index}-device-protection")
            pen, pja, rules_out = _PROTECTIONS[protection]
            out.append(f"{control} {_TYPE} {_PREVENTIVE} .\n")
            _labelled(out, control, pen.format(name_en), pja.format(name_ja))
            out.append(f"{control} {_OPERATED_BY} {party} .\n")
            out.append(f"{control} {_COVERS} {device} .\n")
            out.append(f"{control} {_RULES_OUT_LEAK} {rules_out} .\n")
    return out


def _recipient_name(index: int) -> tuple[str, str, str]:
    """Producers and recipients alternate in the recipient pool."""
    if index % 2 == 0:
        return _PRODUCER, f"Producer {index}", f"認定作成事業者{index}"
    return _RECIPIENT, f"Data recipient {index}", f"提供先事業者{index}"


def _head(seed: int, principals: int, k: dict) -> Iterator[list[str]]:
    """Regulator, data categories and the three pools."""
    out = [
        f"{_REGULATOR_IRI} {_TYPE} {_ORGANISATION} .\n",
        f"{_REGULATOR_IRI} {_TYPE} {_REGULATOR} .\n",
    ]
    _labelled(
        out, _REGULATOR_IRI, "Personal Information Protection Commission", "個人情報保護委員会"
    )
    for local, en, ja, sensitive in _CATEGORIES:
        cat = _iri(f"category-{local}")
        out.append(f"{cat} {_TYPE} {_DATA_CATEGORY} .\n")
        _labelled(out, cat, en, ja)
        if sensitive:
            out.append(f"{cat} {_SENSITIVE} {_TRUE} .\n")
    yield out
    consignees, subcontractors, recipients = pool_sizes(principals)
    for j in range(consignees):
        yield _pool_party(seed, _CONSIGNEE_POOL, j, k)
    for j in range(subcontractors):
        yield _pool_party(seed, _SUBCONTRACTOR_POOL, j, k)
    for j in range(recipients):
        party = _iri(f"recipient-{j}")
        kind, en, ja = _recipient_name(j)
        out = [f"{party} {_TYPE} {_ORGANISATION} .\n", f"{party} {_TYPE} {kind} .\n"]
        _labelled(out, party, en, ja)
        yield out


_LOG_MIN, _LOG_MAX = math.log(100), math.log(200000)


def _party(pool: tuple[str, str, str], index: int) -> tuple[str, str, str, str, int]:
    segment, en, ja = pool
    return _iri(f"{segment}-{index}"), en.format(index), ja.format(index), segment, index


class _Principal:
    """What the emitters of one principal share: its names, its chain and its random stream.

    The emitters are kept small on purpose: allocation tracing (tracemalloc) looks up the
    line of every allocation from the start of its function, so one long function would
    make the memory test slow.
    """

    __slots__ = (
        "r", "k", "power", "sizes", "base", "p", "en", "ja", "chain", "depth", "data",
        "report_duty", "exclusion_duty", "has_exclusion", "subjects", "sensitive", "reports",
    )

    def __init__(self, seed: int, i: int, sizes: tuple[int, int, int], k: dict, power: float):
        rng = random.Random(f"chainmodel/{seed}/principal/{i}")
        r = self.r = rng.random
        self.k, self.power, self.sizes = k, power, sizes
        base = self.base = f"{BASE}principal-{i}"
        p = self.p = f"<{base}>"
        if r() < 0.5:
            self.en, self.ja = f"Health Insurance Association {i}", f"第{i}健康保険組合"
        else:
            self.en, self.ja = f"Hospital {i}", f"第{i}病院"
        # the chain: parties per tier (index 0 is the principal)
        m1, m2, _ = sizes
        t1 = _zipf(r(), m1, power)
        draw = r()
        depth = self.depth = (
            3 if draw < k["rereconsign_share"] else 2 if draw < k["reconsign_share"] else 1
        )
        chain = self.chain = [(p, self.en, self.ja, "", -1), _party(_CONSIGNEE_POOL, t1)]
        if depth >= 2:
            t2 = _zipf(r(), m2, power)
            chain.append(_party(_SUBCONTRACTOR_POOL, t2))
            if depth == 3:
                t3 = _zipf(r(), m2, power)
                if t3 == t2:
                    t3 = (t3 + 1) % m2
                chain.append(_party(_SUBCONTRACTOR_POOL, t3))
        self.data = f"<{base}-data>"
        self.report_duty = f"<{base}-duty-opt-out-reporting>"
        self.exclusion_duty = f"<{base}-duty-exclusion>"
        self.has_exclusion = r() < k["exclusion_share"]
        self.subjects = int(round(math.exp(_LOG_MIN + (_LOG_MAX - _LOG_MIN) * r())))
        self.sensitive = False
        self.reports: list[str] = []


def _emit_asset(out: list, c: _Principal, i: int) -> None:
    p, data, r, add = c.p, c.data, c.r, out.append
    add(f"{p} {_TYPE} {_ORGANISATION} .\n")
    add(f"{p} {_TYPE} {_PRINCIPAL} .\n")
    _labelled(out, p, c.en, c.ja)
    subjects = _int(c.subjects)
    count_node = f"_:p{i}n"
    add(f"{data} {_TYPE} {_DATA_ASSET} .\n")
    _labelled(out, data, f"personal data held by {c.en}", f"{c.ja}の個人データ")
    add(f"{data} {_CONTROLLER} {p} .\n")
    add(f"{data} {_SUBJECT_COUNT_P} {subjects} .\n")
    add(f"{data} {_COUNT_FOR} {count_node} .\n")
    add(f"{count_node} {_TYPE} {_SUBJECT_COUNT} .\n")
    add(f"{count_node} {_PRINCIPAL_P} {p} .\n")
    add(f"{count_node} {_COUNT} {subjects} .\n")
    # 2 to 4 plain categories from a rotating window, maybe one sensitive category
    n_plain = 2 + int(r() * 3)
    start = int(r() * len(_PLAIN_CATEGORIES))
    for n in range(n_plain):
        category = _PLAIN_CATEGORIES[(start + n) % len(_PLAIN_CATEGORIES)]
        add(f"{data} {_CATEGORY} {category} .\n")
    c.sensitive = r() < c.k["sensitive_share"]
    if c.sensitive:
        category = _SENSITIVE_CATEGORIES[int(r() * len(_SENSITIVE_CATEGORIES))]
        add(f"{data} {_CATEGORY} {category} .\n")


def _emit_reporting_duty(out: list, c: _Principal) -> None:
    duty, add = c.report_duty, out.append
    add(f"{duty} {_TYPE} {_DUTY} .\n")
    _labelled(
        out,
        duty,
        f"accepting and reporting opt-out requests for {c.en}",
        f"{c.ja}の提供停止の求めの受付・報告業務",
    )
    add(f"{duty} {_ACCOUNTABLE} {c.p} .\n")
    add(f"{duty} {_PERFORMED_BY} {c.chain[-1][0]} .\n")
    add(f"{duty} {_LEGAL_BASIS} {_APPI_27} .\n")


def _emit_exclusion_duty(out: list, c: _Principal, i: int) -> None:
    duty, p, add = c.exclusion_duty, c.p, out.append
    optout = f"<{c.base}-opted-out-data>"
    add(f"{duty} {_TYPE} {_DUTY} .\n")
    _labelled(
        out,
        duty,
        f"excluding opted-out subjects before provision, for {c.en}",
        f"{c.ja}の提供停止の求めのあったデータの提供前の除外",
    )
    add(f"{duty} {_ACCOUNTABLE} {p} .\n")
    add(f"{duty} {_PERFORMED_BY} {c.chain[1][0]} .\n")
    add(f"{duty} {_LEGAL_BASIS} {_APPI_27} .\n")
    add(f"{duty} {_NEEDS} {c.report_duty} .\n")
    add(f"{duty} {_PROTECTS} {optout} .\n")
    _emit_optout_asset(out, c, i, optout)


def _emit_optout_asset(out: list, c: _Principal, i: int, optout: str) -> None:
    p, add = c.p, out.append
    count_node = f"_:p{i}o"
    opted_out = _int(1 + int(c.r() * max(1, c.subjects // 200)))
    add(f"{optout} {_TYPE} {_DATA_ASSET} .\n")
    _labelled(
        out,
        optout,
        f"data of the subjects who opted out, held by {c.en}",
        f"{c.ja}の提供停止の求めのあった本人のデータ",
    )
    add(f"{optout} {_SUBSET_OF} {c.data} .\n")
    add(f"{optout} {_CONTROLLER} {p} .\n")
    add(f"{optout} {_SUBJECT_COUNT_P} {opted_out} .\n")
    add(f"{optout} {_COUNT_FOR} {count_node} .\n")
    add(f"{count_node} {_TYPE} {_SUBJECT_COUNT} .\n")
    add(f"{count_node} {_PRINCIPAL_P} {p} .\n")
    add(f"{count_node} {_COUNT} {opted_out} .\n")
    if c.sensitive:
        add(f"{optout} {_SENSITIVE} {_TRUE} .\n")


def _emit_consignment(out: list, c: _Principal, tier: int) -> None:
    consignor, consignee = c.chain[tier - 1], c.chain[tier]
    node, add = f"<{c.base}-consignment-{tier}>", out.append
    add(f"{node} {_TYPE} {_CONSIGNMENT} .\n")
    if tier == 1:
        en = f"{c.en} consigns opt-out handling to {consignee[1]}"
        ja = f"{c.ja}から{consignee[2]}への委託"
    else:
        verb, word = ("re-consigns", "再委託") if tier == 2 else ("re-re-consigns", "再々委託")
        en = f"{consignor[1]} {verb} {c.en}'s opt-out handling to {consignee[1]}"
        ja = f"{consignor[2]}から{consignee[2]}への{word}（{c.ja}）"
    _labelled(out, node, en, ja)
    add(f"{node} {_CONSIGNOR} {consignor[0]} .\n")
    add(f"{node} {_CONSIGNEE} {consignee[0]} .\n")
    if tier > 1:
        add(f"{node} {_EXTENDS} <{c.base}-consignment-{tier - 1}> .\n")
    add(f"{node} {_ENTRUSTS} {c.report_duty} .\n")
    if tier == 1 and c.has_exclusion:
        add(f"{node} {_ENTRUSTS} {c.exclusion_duty} .\n")
    add(f"{node} {_ENTRUSTS_DATA} {c.data} .\n")
    if tier > 1:
        if c.r() < c.k["unapproved_share"]:
            add(f"{node} {_APPROVAL} {_NOT_RECORDED} .\n")
        else:
            # approved by the consignor of the consignment it extends
            add(f"{node} {_APPROVAL} {_APPROVED} .\n")
            add(f"{node} {_APPROVED_BY} {c.chain[tier - 2][0]} .\n")


def _emit_intake(out: list, c: _Principal) -> None:
    """Opt-out requests passed from the principal down to the performer."""
    node, deepest, add = f"<{c.base}-report-requests>", c.chain[-1], out.append
    add(f"{node} {_TYPE} {_REPORT} .\n")
    _labelled(
        out,
        node,
        f"opt-out requests passed on by {c.en} to {deepest[1]}",
        f"{c.ja}から{deepest[2]}への提供停止の求めの連絡",
    )
    add(f"{node} {_SENDER} {c.p} .\n")
    add(f"{node} {_RECEIVER} {deepest[0]} .\n")
    add(f"{node} {_SERVES} {c.report_duty} .\n")


def _emit_report(out: list, c: _Principal, tier: int) -> None:
    """The monthly report from the consignee at ``tier`` to the one above it."""
    sender, receiver = c.chain[tier], c.chain[tier - 1]
    node, add = f"<{c.base}-report-{tier}-{tier - 1}>", out.append
    c.reports.append(node)
    add(f"{node} {_TYPE} {_REPORT} .\n")
    _labelled(
        out,
        node,
        f"monthly opt-out report from {sender[1]} to {receiver[1]} for {c.en}",
        f"{sender[2]}から{receiver[2]}への月次の提供停止の求めの報告（{c.ja}）",
    )
    add(f"{node} {_SENDER} {sender[0]} .\n")
    add(f"{node} {_RECEIVER} {receiver[0]} .\n")
    add(f"{node} {_SERVES} {c.report_duty} .\n")
    add(f"{node} {_CADENCE} {_P1M} .\n")


def _emit_provision(out: list, c: _Principal) -> None:
    """The provision the exclusion duty guards, from tier 1 to a producer or recipient."""
    r, first, add = c.r, c.chain[1], out.append
    rec = _zipf(r(), c.sizes[2], c.power)
    _, rec_en, rec_ja = _recipient_name(rec)
    node = f"<{c.base}-provision>"
    add(f"{node} {_TYPE} {_DATA_PROVISION} .\n")
    _labelled(
        out,
        node,
        f"{c.en}'s data provided by {first[1]} to {rec_en}",
        f"{first[2]}から{rec_ja}への{c.ja}のデータの提供",
    )
    add(f"{node} {_SENDER} {first[0]} .\n")
    add(f"{node} {_RECEIVER} {_iri(f'recipient-{rec}')} .\n")
    add(f"{node} {_CARRIES} {c.data} .\n")
    add(f"{node} {_GUARDED_BY} {c.exclusion_duty} .\n")
    add(f"{node} {_LEAD_TIME} {_LEAD_TIMES[int(r() * len(_LEAD_TIMES))]} .\n")
    basis = f"<{c.base}-provision-basis>"  # the recipient's basis: a provision under another law
    add(f"{basis} {_TYPE} {_PROVISION_UNDER_LAW} .\n")
    add(f"{basis} {_PROVIDER} {c.chain[0][0]} .\n")
    add(f"{basis} {_RECIPIENT_OF} {_iri(f'recipient-{rec}')} .\n")
    add(f"{basis} {_PROVIDES_DATA} {c.data} .\n")


def _emit_reconciliation(out: list, c: _Principal) -> None:
    """A detective control over the monthly reports, run by tier 1 or the principal."""
    r, add = c.r, out.append
    operator = c.chain[1] if r() < 0.6 else c.chain[0]
    node = f"<{c.base}-reconciliation>"
    add(f"{node} {_TYPE} {_DETECTIVE} .\n")
    _labelled(
        out,
        node,
        f"reconciliation of {c.en}'s opt-out reports by {operator[1]}",
        f"{operator[2]}による{c.ja}の提供停止の求めの報告の照合",
    )
    add(f"{node} {_OPERATED_BY} {operator[0]} .\n")
    for report in c.reports:
        add(f"{node} {_COVERS} {report} .\n")
    add(f"{node} {_NOTIFIES} {operator[0]} .\n")
    add(f"{node} {_DETECTION_LATENCY} {_P1M if r() < 0.5 else _P6M} .\n")


def _emit_copy(out: list, c: _Principal, tier: int, kind: str) -> None:
    party, add = c.chain[tier], out.append
    den, dja = _DEVICE_KINDS[kind]
    node = f"<{c.base}-copy-{tier}>"
    add(f"{node} {_TYPE} {_DATA_COPY} .\n")
    _labelled(
        out,
        node,
        f"copy of {c.en}'s data on the {den.format(party[1])}",
        f"{dja.format(party[2])}上の{c.ja}のデータの複製",
    )
    add(f"{node} {_COPY_OF} {c.data} .\n")
    add(f"{node} {_STORED_ON} {_iri(f'{party[3]}-{party[4]}-device')} .\n")


def _principal(seed: int, i: int, sizes: tuple[int, int, int], k: dict, power: float) -> list[str]:
    """Every triple that belongs to principal ``i``'s chain."""
    c = _Principal(seed, i, sizes, k, power)
    out: list[str] = []
    _emit_asset(out, c, i)
    _emit_reporting_duty(out, c)
    if c.has_exclusion:
        _emit_exclusion_duty(out, c, i)
    for tier in range(1, c.depth + 1):
        _emit_consignment(out, c, tier)
    _emit_intake(out, c)
    for tier in range(c.depth, 1, -1):
        _emit_report(out, c, tier)
    if c.has_exclusion:
        _emit_provision(out, c)
    if c.reports and c.r() < k["detective_share"]:
        _emit_reconciliation(out, c)
    # copies on the devices of the parties in the chain
    for tier in range(1, c.depth + 1):
        party = c.chain[tier]
        spec = _device(seed, party[3], party[4], k["device_share"], k["portable_share"])
        if spec is not None and c.r() < k["copy_share"]:
            _emit_copy(out, c, tier, spec[0])
    return out


def _chunks(principals: int, seed: int, knobs: dict) -> Iterator[list[str]]:
    """The model as lists of whole N-Triples lines, in output order."""
    _check_args(principals, seed)
    k = _check_knobs(knobs)
    power = 1.0 / (1.0 - k["zipf_exponent"])
    sizes = pool_sizes(principals)
    yield from _head(seed, principals, k)
    for i in range(principals):
        yield _principal(seed, i, sizes, k, power)


def generate_triples(principals: int, seed: int = 0, **knobs: float) -> Iterator[str]:
    """Stream a synthetic chain model as N-Triples lines.

    Parameters
    ----------
    principals : int
        Number of principals ``N`` (at least 1).
    seed : int, optional
        Seed of every random decision; the same arguments give the same lines.
    **knobs : float
        Shares in ``[0, 1]`` overriding :data:`DEFAULT_KNOBS`:
        ``reconsign_share`` (tier-1 consignments re-consigned, 0.4),
        ``rereconsign_share`` (tier-1 consignments whose chain reaches tier 3, 0.15; at most
        ``reconsign_share``), ``unapproved_share`` (re-consignments without recorded
        approval, 0.1), ``exclusion_share`` (principals with an exclusion duty and guarded
        provision, 0.75), ``sensitive_share`` (assets with a sensitive category, 0.3),
        ``device_share`` (pool parties with a device, 0.3), ``portable_share`` (devices that
        are portable, 0.2), ``copy_share`` (chance a chain party with a device holds a copy
        of the principal's data, 0.5), ``detective_share`` (re-consigned chains with a
        reconciliation of the reports, 0.3) and ``zipf_exponent`` (skew of the pool draws,
        in ``[0, 1)``; 0 is uniform, 0.6).

    Yields
    ------
    str
        One triple per line, each ending ``" .\\n"``: regulator, categories, pools, then
        principal by principal. Nothing is accumulated, so memory stays flat.

    Raises
    ------
    TypeError
        For an unknown knob or an argument of the wrong type.
    ValueError
        For a share outside its range or fewer than one principal.

    Examples
    --------
    >>> lines = list(generate_triples(2, seed=7, reconsign_share=1.0))
    >>> any("-consignment-2>" in line for line in lines)
    True
    """
    _check_args(principals, seed)
    _check_knobs(knobs)
    return _lines(principals, seed, knobs)


def _lines(principals: int, seed: int, knobs: dict) -> Iterator[str]:
    for lines in _chunks(principals, seed, knobs):
        yield from lines


class _ChunkReader(io.RawIOBase):
    """A read-only binary stream over text chunks (for the Turtle writer)."""

    def __init__(self, chunks: Iterator[str]):
        self._chunks = chunks
        self._buffer = b""

    def readable(self) -> bool:
        return True

    def readinto(self, target) -> int:
        while not self._buffer:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._buffer = chunk.encode("utf-8")
        size = min(len(target), len(self._buffer))
        target[:size] = self._buffer[:size]
        self._buffer = self._buffer[size:]
        return size


_TURTLE_PREFIXES = {
    "cm": _CM,
    "rule": _RULE,
    "gen": BASE,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": _XSD,
}


def write_model(path: str | os.PathLike, principals: int, seed: int = 0, **knobs: float) -> int:
    """Write a synthetic chain model to ``path``, streaming.

    Parameters
    ----------
    path : str or os.PathLike
        Target file. ``.nt`` writes N-Triples (the fast path); ``.ttl`` writes Turtle with
        prefixes, re-serialised through pyoxigraph (slower, still streaming).
    principals : int
        Number of principals, as for :func:`generate_triples`.
    seed : int, optional
        Seed, as for :func:`generate_triples`.
    **knobs : float
        Knobs, as for :func:`generate_triples`.

    Returns
    -------
    int
        The number of triples written.

    Raises
    ------
    ValueError
        If ``path`` ends neither in ``.nt`` nor ``.ttl``, or for a bad knob value.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     written = write_model(pathlib.Path(folder) / "model.nt", 5, seed=3)
    >>> written == sum(1 for _ in generate_triples(5, seed=3))
    True
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in (".nt", ".ttl"):
        raise ArgumentError(f"write_model writes .nt or .ttl files, not {target.name!r}")
    _check_args(principals, seed)
    _check_knobs(knobs)
    count = 0

    def counted(chunks: Iterator[list[str]]) -> Iterator[str]:
        nonlocal count
        for lines in chunks:
            count += len(lines)
            yield "".join(lines)

    chunks = counted(_chunks(principals, seed, knobs))
    if suffix == ".nt":
        with open(target, "w", encoding="utf-8", newline="\n") as out:
            for chunk in chunks:
                out.write(chunk)
    else:
        import pyoxigraph as ox

        reader = io.BufferedReader(_ChunkReader(chunks), buffer_size=1 << 16)
        triples = ox.parse(reader, format=ox.RdfFormat.N_TRIPLES)
        with open(target, "wb") as out:
            ox.serialize(triples, out, format=ox.RdfFormat.TURTLE, prefixes=_TURTLE_PREFIXES)
    return count


# ---------------------------------------------------------------------------- size


def estimate_triples(principals: int, **knobs: float) -> int:
    """Expected number of triples :func:`generate_triples` yields for ``principals``.

    The expectation is computed from the same shares the generator draws with; actual counts
    are within a few per cent for ``N`` of a few hundred or more. With the default knobs a
    principal contributes about 69 triples, pools included.

    Parameters
    ----------
    principals : int
        Number of principals ``N``.
    **knobs : float
        Knobs, as for :func:`generate_triples`.

    Returns
    -------
    int
        The expected triple count, rounded.

    Examples
    --------
    >>> 60 < estimate_triples(10_000) / 10_000 < 75
    True
    """
    k = _check_knobs(knobs)
    n = principals
    re2, re3 = k["reconsign_share"], k["rereconsign_share"]
    extra_tiers = re2 + re3  # expected consignments beyond tier 1
    device_triples = k["device_share"] * (
        5 + k["portable_share"] * 0.8 * 6  # device; protected portable devices get a control
    )
    consignees, subcontractors, recipients = pool_sizes(n)
    head = 4 + sum(3 + (1 if c[3] else 0) for c in _CATEGORIES)
    pools = (consignees + subcontractors) * (3 + device_triples) + recipients * 4
    per_principal = (
        4  # organisation, principal, two labels
        + 9 + 3 + k["sensitive_share"]  # asset, count node, three plain categories on average
        + 6  # reporting duty
        + 7 * (1 + extra_tiers)  # consignment: type, labels, consignor, consignee, duty, data
        + extra_tiers * (1 + 1 + (1 - k["unapproved_share"]))  # extends, approval, approvedBy
        + 6  # request intake report
        + 7 * extra_tiers  # monthly reports up the chain
        # exclusion duty, opted-out subset, one more cm:entrusts, guarded provision and its basis
        + k["exclusion_share"] * (8 + 10 + k["sensitive_share"] + 1 + 8 + 4)
        + k["detective_share"] * (6 * re2 + extra_tiers)  # reconciliations and what they cover
        + 5 * k["copy_share"] * k["device_share"] * (1 + extra_tiers)  # copies on devices
    )
    return int(round(head + pools + n * per_principal))


def principals_for_triples(triples: int, **knobs: float) -> int:
    """The number of principals whose model has about ``triples`` triples.

    Parameters
    ----------
    triples : int
        Wanted size, e.g. ``10**6``.
    **knobs : float
        Knobs, as for :func:`generate_triples`.

    Returns
    -------
    int
        The smallest ``N`` (at least 1) with ``estimate_triples(N) >= triples``.

    Examples
    --------
    >>> n = principals_for_triples(10**6)
    >>> estimate_triples(n - 1) < 10**6 <= estimate_triples(n)
    True
    """
    low, high = 1, 1
    while estimate_triples(high, **knobs) < triples:
        high *= 2
    while low < high:
        mid = (low + high) // 2
        if estimate_triples(mid, **knobs) < triples:
            low = mid + 1
        else:
            high = mid
    return low
