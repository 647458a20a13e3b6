"""The ontology's terms as a ledger names them: labels in both languages, local and prefixed names, and
the everyday words reviewers use ("opt-out", "自治体", "通知のみ").

Examples
--------
>>> from chainmodel.namespace import CM
>>> term_choice("地方公共団体", (CM.PrivateBusiness, CM.LocalGovernment)) == CM.LocalGovernment
True
>>> term_choice("通知のみ", (CM.Approved, CM.NotifiedNotApproved)) == CM.NotifiedNotApproved
True
>>> shipped_category("クレジットカード番号") == CM.CardNumber, shipped_category("氏名")
(True, None)
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS

from ..model import ontology_graph
from ..namespace import CM
from .cells import CellError

__all__ = ["fold", "term_choice", "term_names", "shipped_category", "ALIASES"]

ALIASES: dict[str, tuple[str, ...]] = {
    "People": ("persons", "person", "individuals", "名", "人数"),
    "Households": ("household", "世帯数"),
    "Records": ("record", "件数", "レコード"),
    "Companies": ("company", "businesses", "法人", "事業者数"),
    "NotifiedNotApproved": ("notified only", "notified", "通知のみ", "通知済み"),
    "NoBasis": ("none", "なし", "根拠無し"),
    "PrivateBusiness": ("business", "private", "company", "民間", "事業者", "個人情報取扱事業者"),
    "NationalAdministrativeOrgan": ("national government", "ministry", "行政機関", "国"),
    "LocalGovernment": ("municipality", "city", "prefecture", "自治体", "地方自治体", "市区町村", "都道府県"),
    "IncorporatedAdministrativeAgency": ("独立行政法人",),
    "ConsentProvision": ("consent", "with consent", "同意", "本人同意"),
    "OptOutProvision": ("opt-out", "opt out", "オプトアウト"),
    "JointUse": ("joint use by", "共同利用者"),
    "ProvisionUnderLaw": ("under law", "under another law", "by law", "法令に基づく", "法令"),
    "ProvisionBasis": ("provision", "提供"),
    "Deleted": ("deletion", "destroyed", "削除", "廃棄"),
    "Returned": ("return", "返還"),
    "CardNumber": ("card number", "credit card number", "payment card", "カード番号", "クレジットカード情報"),
    "BankAccountNumber": ("bank account", "bank account number", "bank account details", "口座情報", "口座番号",
                          "銀行口座", "預金口座"),
    "IndividualNumber": ("My Number", "Individual Number", "マイナンバー", "個人番号", "特定個人情報"),
}
"""Extra words accepted for a term (by local name), besides its labels and names."""


def fold(text: str) -> str:
    """Text compared without regard to case, full-width forms or runs of spaces.

    >>> fold("  ＮＴＴ  Data ")
    'ntt data'
    """
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


@lru_cache(maxsize=None)
def term_names() -> dict[str, dict[str, URIRef]]:
    """Ontology term -> every way to write it (local name, prefixed name, labels, aliases), folded.

    >>> sorted(term_names()[str(CM.Households)])
    ['cm:households', 'household', 'households', 'https://w3id.org/chainmodel#households', '世帯', '世帯数']
    """
    graph = ontology_graph()
    names: dict[str, dict[str, URIRef]] = {}
    for subject in set(graph.subjects()):
        if not isinstance(subject, URIRef) or not str(subject).startswith(str(CM)):
            continue
        local = str(subject)[len(str(CM)):]
        forms = {fold(local), fold("cm:" + local), fold(str(subject))}
        forms |= {fold(str(label)) for label in graph.objects(subject, RDFS.label)}
        forms |= {fold(alias) for alias in ALIASES.get(local, ())}
        names[str(subject)] = {form: subject for form in forms}
    return names


def term_choice(text: str, choices: tuple[URIRef, ...]) -> URIRef:
    """The term among ``choices`` a cell names by label (English or Japanese), local or prefixed name, or alias.

    Raises
    ------
    CellError
        No choice is named so; the message lists the choices in both languages.

    Examples
    --------
    >>> term_choice("承諾あり", (CM.Approved, CM.NotApproved)) == CM.Approved
    True
    """
    wanted = fold(text)
    names = term_names()
    for choice in choices:
        if wanted in names.get(str(choice), {}):
            return choice
    from ..model import ChainModel

    labels = ChainModel(Graph())
    listed_en = ", ".join(labels.label(str(c), "en") for c in choices)
    listed_ja = "、".join(labels.label(str(c), "ja") for c in choices)
    raise CellError(f"{text!r} is not one of: {listed_en}", f"「{text}」は次のいずれでもない：{listed_ja}")


@lru_cache(maxsize=None)
def _shipped_categories() -> dict[str, URIRef]:
    graph = ontology_graph()
    found: dict[str, URIRef] = {}
    for category in graph.subjects(RDF.type, CM.DataCategory):
        for form in term_names().get(str(category), {}):
            found[form] = category
    return found


def shipped_category(text: str) -> URIRef | None:
    """The data category the ontology ships (cm:CardNumber, cm:BankAccountNumber, cm:IndividualNumber) named by ``text``.

    Its labels in either language, its local or prefixed name, or an everyday word (:data:`ALIASES`);
    None for any other text.

    >>> shipped_category("マイナンバー") == CM.IndividualNumber, shipped_category("bank account") == CM.BankAccountNumber
    (True, True)
    """
    return _shipped_categories().get(fold(text))
