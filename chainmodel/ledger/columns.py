"""The one table of ledger columns: it drives reading, writing, the template and the README.

A ledger (委託先管理台帳) is a workbook of sheets, one kind of element per sheet, one row per
element; the consignments sheet alone may serve as a flat ledger, one row per consignment.
Every column has a key, an English and a Japanese header, a meaning in both languages and
an example; a reader accepts either header (or the key), a writer writes the headers of the
language asked for.

Column kinds say how a cell maps to RDF:

``id``
    the row's IRI: a local name under the ledger's base IRI, a prefixed name or a full IRI;
    empty: derived from the row's names (see :mod:`chainmodel.ledger.cells`).
``label`` / ``comment`` / ``text``
    a literal of ``predicate`` (``lang`` gives its language tag).
``types``
    ``rdf:type`` values among ``choices``, written by their labels.
``ref`` / ``refs``
    one or several references to rows of the ``targets`` sheets (by id or name).
``choice`` / ``choices``
    one or several terms among ``choices`` (by label, prefixed name or IRI).
``int``, ``bool``, ``date``, ``duration``
    typed literals of ``predicate``.
``count``
    a whole number of ``predicate`` with, optionally, a qualifier (``cm:countQualifier``) and a unit
    word: "12000", "about 2,500,000", "約250万", "最大4万件", "1,000以上" (see
    :mod:`chainmodel.ledger.counts`).
``counts``
    subject counts per principal (``cm:countFor``), each qualified as a count may be:
    ``party = 5747; other = about 10``.
``country``
    an ISO 3166-1 alpha-2 code of ``predicate`` ("JP"; "Japan" and "日本" are read as JP).
``basis``
    the bases a hand-off or copy claims (``cm:basis``): rows of the Provision bases or
    Consignments sheets, or "none" (``cm:NoBasis``).
``clause``
    what a contract clause says, in words, with its article: "再委託禁止（第12条）" (see
    :mod:`chainmodel.ledger.clauses`).
``inverse``
    references to rows that point at this row with ``predicate`` (an agreement's ``cm:clause``).
``ledger``
    a convenience column of the flat consignments sheet, read by its own rule (see
    :mod:`chainmodel.ledger.building`); on export it is filled so that reading the ledger
    back adds nothing.
``computed``
    written by ``chainmodel export --ledger`` from the analyses; ignored when read.

Examples
--------
>>> [sheet.key for sheet in SHEETS][:3]
['parties', 'consignments', 'agreements']
>>> column = sheet_by_key("consignments").column("consignee")
>>> column.header("ja"), column.header("en")
('委託先', 'Consignee')
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import URIRef
from rdflib.namespace import RDFS

from ..namespace import CM

__all__ = ["Column", "Sheet", "SHEETS", "sheet_by_key", "OTHER_SHEET", "ABOUT_SHEET", "NOTES_SHEET"]

ANY = ("parties", "consignments", "agreements", "clauses", "duties", "data", "categories", "devices", "accounts",
       "attacks", "conditions", "copies", "handoffs", "bases", "controls", "events", "incidents", "laws")


@dataclass(frozen=True)
class Column:
    """One column of one sheet.

    Attributes
    ----------
    key : str
        Stable key (also accepted as a header).
    en, ja : str
        Headers in English and Japanese.
    meaning_en, meaning_ja : str
        What the column holds, for the notes sheet and the README.
    example : str
        A cell as a user would write it.
    kind : str
        How the cell maps to RDF (see the module docstring).
    predicate : URIRef or None
        The property the cell's values are objects of.
    targets : tuple of str
        For references: the sheets whose rows may be named.
    choices : tuple of URIRef
        For ``types`` and ``choice(s)``: the terms allowed.
    lang : str
        For literals: the language tag ("" for none).
    aliases : tuple of str
        Other headers read as this column (earlier headers, everyday words).
    """

    key: str
    en: str
    ja: str
    meaning_en: str
    meaning_ja: str
    example: str
    kind: str
    predicate: URIRef | None = None
    targets: tuple[str, ...] = ()
    choices: tuple[URIRef, ...] = ()
    lang: str = ""
    aliases: tuple[str, ...] = ()

    def header(self, lang: str) -> str:
        """The header in ``lang`` ("ja" or "en")."""
        return self.ja if lang == "ja" else self.en

    @property
    def computed(self) -> bool:
        return self.kind == "computed"

    @property
    def multiple(self) -> bool:
        return self.kind in ("refs", "choices", "types")


@dataclass(frozen=True)
class Sheet:
    """One sheet: the classes its rows are, the prefix of derived ids, and its columns."""

    key: str
    en: str
    ja: str
    meaning_en: str
    meaning_ja: str
    classes: tuple[URIRef, ...]
    prefix: str
    columns: tuple[Column, ...] = field(default_factory=tuple)

    def name(self, lang: str) -> str:
        return self.ja if lang == "ja" else self.en

    def column(self, key: str) -> Column:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(f"sheet {self.key} has no column {key!r}")

    @property
    def input_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if not c.computed)


def _id(example: str) -> Column:
    return Column("id", "ID", "ID",
                  "The row's identifier: a short name under the ledger's base IRI (or a full IRI). Leave it empty "
                  "to derive one from the names; keep it once other rows or files refer to it.",
                  "行の識別子。台帳の基底IRIの下の短い名前（または完全なIRI）。空欄なら名称から作る。"
                  "他の行やファイルが参照するようになったら変えないこと。",
                  example, "id")


def _names(en: str, ja: str) -> tuple[Column, ...]:
    return (
        Column("name_en", "Name (English)", "名称（英語）", "The name in English (rdfs:label @en).",
               "英語の名称（rdfs:label @en）。", en, "label", RDFS.label, lang="en"),
        Column("name_ja", "Name (Japanese)", "名称（日本語）", "The name in Japanese (rdfs:label @ja).",
               "日本語の名称（rdfs:label @ja）。", ja, "label", RDFS.label, lang="ja"),
        Column("name", "Name (no language)", "名称（言語指定なし）",
               "A name with no language tag; use it only when the language is neither English nor Japanese.",
               "言語タグのない名称。英語でも日本語でもない場合にのみ使う。", "", "label", RDFS.label),
    )


def _comments() -> tuple[Column, ...]:
    return (
        Column("comment_en", "Comment (English)", "備考（英語）", "Notes in English, e.g. where a fact comes from (rdfs:comment @en).",
               "英語の備考。事実の出典など（rdfs:comment @en）。", "From the notice of 2025-08, section 2.",
               "comment", RDFS.comment, lang="en"),
        Column("comment_ja", "Comment (Japanese)", "備考（日本語）", "Notes in Japanese (rdfs:comment @ja).",
               "日本語の備考（rdfs:comment @ja）。", "2025年8月のお知らせ第2項による。", "comment", RDFS.comment, lang="ja"),
    )


def _findings() -> Column:
    return Column("findings", "Findings (computed)", "検証結果（計算値）",
                  "Findings of chainmodel validate about this row: severity, rule and legal source. Computed on export, ignored on import.",
                  "この行についての chainmodel validate の検証結果（重大度、規則、法的根拠）。出力時に計算し、取込み時は無視する。",
                  "warning: re-consignment without recorded approval [PPC General Guidelines 3-4-4]", "computed")


FAILURE_MODES = (CM.Omission, CM.WrongContent, CM.Misdirection, CM.MisdirectedData, CM.Late, CM.LossOrTheft,
                 CM.UnauthorisedCopy, CM.NotPerformed, CM.ControlFails, CM.InsiderExfiltration, CM.Intrusion,
                 CM.Ransomware, CM.Misconfiguration)


def _failure_modes() -> Column:
    return Column("failure_modes", "Failure modes", "故障モード",
                  "Restricts the element to these failure modes (cm:failureMode); empty: every mode of its kind.",
                  "要素の故障モードをこれらに限る（cm:failureMode）。空欄なら種類に応じたすべて。",
                  "loss or theft", "choices", CM.failureMode, choices=FAILURE_MODES)


UNITS = (CM.People, CM.Households, CM.Records, CM.Companies)

SECTORS = (CM.PrivateBusiness, CM.NationalAdministrativeOrgan, CM.LocalGovernment, CM.IncorporatedAdministrativeAgency,
           CM.LocalIncorporatedAdministrativeAgency)


def _country(en: str, ja: str) -> Column:
    return Column("country", "Country", "所在国",
                  f"{en} (cm:country): an ISO 3166-1 code such as JP or US (Japan and 日本 are read as JP).",
                  f"{ja}（cm:country）。JP、US のような ISO 3166-1 の国コード（Japan、日本 は JP と読む）。",
                  "JP", "country", CM.country)


def _dates(what_en: str, what_ja: str, start: tuple[str, str], end: tuple[str, str]) -> tuple[Column, ...]:
    precision_en = ("2024-04-01, 2024-04 or 2024 when only the month or year is known (2024年4月, 令和6年 too); "
                    "in Excel type '2024-04 so that it stays a month")
    precision_ja = ("2024-04-01、月や年しか分からなければ 2024-04 や 2024（2024年4月、令和6年 も可）。"
                    "Excel で月が日付に変わる場合は '2024-04 と入力する")
    return (
        Column("start", start[0], start[1], f"When {what_en} starts (cm:startDate): {precision_en}.",
               f"{what_ja}の開始時点（cm:startDate）：{precision_ja}。", "2024-04", "date", CM.startDate),
        Column("end", end[0], end[1], f"When {what_en} ends (cm:endDate), with the same precision; data must not be "
               "held past the end of every basis for it.",
               f"{what_ja}の終了時点（cm:endDate）。精度は開始と同じ。すべての根拠の終了後にデータを保持してはならない。",
               "2027-03", "date", CM.endDate),
    )


def _basis(en: str, ja: str) -> Column:
    return Column("basis", "Basis", "根拠",
                  f"Why the party that {en} may do so (cm:basis): rows of the Provision bases or Consignments sheets, "
                  "separated by ';', or 'none' when the sources say there was no basis (cm:NoBasis, e.g. a sale to "
                  "list brokers). Empty: chainmodel looks for a basis that covers it.",
                  f"{ja}当事者がそうできる根拠（cm:basis）。提供の根拠シートまたは委託シートの行（複数は「;」で区切る）。"
                  "資料上根拠がなければ「根拠なし」（cm:NoBasis、名簿業者への売却など）。空欄なら対象となる根拠を探す。",
                  "basis-consent", "basis", CM.basis, targets=("bases", "consignments"))


def _laws(key: str = "under_law") -> Column:
    return Column(key, "Under law", "根拠法", "The law the party or consignment acts under (cm:underLaw): rows of the Legal sources sheet.",
                  "立場や委託の根拠法（cm:underLaw）。法令シートの行。", "appi", "refs", CM.underLaw, targets=("laws",))


PARTIES = Sheet(
    "parties", "Parties", "当事者",
    "Organisations, their capacities and groups of data subjects. A party named in another sheet but missing here "
    "is added as an organisation.",
    "組織、その立場、本人の集団。他のシートに名前があってここにない当事者は組織として追加される。",
    (CM.Agent,), "",
    (
        _id("city-hall"),
        *_names("Minato City", "港区"),
        Column("kind", "Kind", "種別",
               "organisation, capacity (one organisation acting in one role under one law), data subjects, or a "
               "person (employee, dispatched worker, contractor staff); empty means organisation.",
               "組織、立場（一つの法律の下で一つの役割を担う組織）、本人（データ主体）、または個人（従業者、派遣労働者、"
               "委託先の要員）のいずれか。空欄なら組織。",
               "organisation", "types", choices=(CM.Organisation, CM.Capacity, CM.DataSubjectGroup, CM.Agent,
                                                 CM.Person, CM.Employee, CM.DispatchedWorker, CM.ContractorStaff)),
        Column("organisation", "Organisation (of a capacity)", "主体組織（立場の場合）",
               "For a capacity: the organisation acting in it (cm:capacityOf).", "立場の場合、その立場で行動する組織（cm:capacityOf）。",
               "ldi", "ref", CM.capacityOf, targets=("parties",)),
        Column("roles", "Declared roles", "宣言する役割",
               "Roles stated outright: principal, producer, recipient, regulator (consignee roles are derived from "
               "the consignments).",
               "明示する役割：委託元、作成事業者、提供先、監督当局など（委託先の役割は委託から導かれる）。",
               "regulator", "types",
               choices=(CM.Principal, CM.Consignee, CM.ReConsignee, CM.Producer, CM.Recipient, CM.Regulator)),
        Column("works_for", "Works for (a person)", "雇用主（個人の場合）",
               "For a person: the organisation that employs them (cm:worksFor), a staffing agency for a dispatched "
               "worker.", "個人の場合、雇用する組織（cm:worksFor）。派遣労働者なら派遣元。", "", "refs", CM.worksFor,
               targets=("parties",)),
        Column("placed_at", "Placed at (a person)", "就業先（個人の場合）",
               "For a person: the organisation they work at (cm:placedAt), whom their acts are attributed to.",
               "個人の場合、就業する組織（cm:placedAt）。その人の行為はこの組織に帰属する。", "", "refs", CM.placedAt,
               targets=("parties",)),
        Column("sector", "Sector", "主体の区分",
               "Which rules of the APPI bind the party (cm:sector): private business (the default), national "
               "administrative organ, local government, incorporated administrative agency, local incorporated "
               "administrative agency. It decides which breach-reporting articles apply, and from when.",
               "当事者に適用される個人情報保護法の規律（cm:sector）：民間事業者（既定）、国の行政機関、地方公共団体、"
               "独立行政法人等、地方独立行政法人。どの漏えい等報告の条文がいつから適用されるかが決まる。",
               "地方公共団体", "choice", CM.sector, choices=SECTORS),
        _country("Where the party is located", "当事者の所在国"),
        _laws(),
        *_comments(),
        Column("derived_roles", "Roles (computed)", "役割（計算値）",
               "Declared roles plus those derived from the consignments. Computed on export.",
               "宣言された役割と委託から導かれる役割。出力時に計算する。", "principal", "computed"),
        _findings(),
    ),
)

APPROVALS = (CM.Approved, CM.NotApproved, CM.NotifiedNotApproved, CM.ApprovalNotRecorded)

CONSIGNMENTS = Sheet(
    "consignments", "Consignments", "委託",
    "One row per consignment (委託), re-consignment (再委託) or deeper. Alone, this sheet is a complete flat ledger: "
    "parties, work and data named in it are created from their names.",
    "委託・再委託・再々委託ごとに一行。このシートだけでも台帳として完結する（名前を書いた当事者、業務、データは自動で作られる）。",
    (CM.Consignment,), "c-",
    (
        _id("c-city-vendor"),
        *_names("City consigns resident-records processing to Vendor", "港区から委託先への住民記録処理の委託"),
        Column("consignor", "Consignor", "委託元",
               "The party that consigns (for a re-consignment: the consignee above). An id or a name.",
               "委託する当事者（再委託なら上位の委託先）。IDまたは名称。", "港区", "ref", CM.consignor, targets=("parties",)),
        Column("consignee", "Consignee", "委託先",
               "The party consigned to. An id or a name.", "委託を受ける当事者。IDまたは名称。", "株式会社サンプル",
               "ref", CM.consignee, targets=("parties",)),
        Column("extends", "Extends consignment", "元の委託",
               "For a re-consignment: the id of the consignment it extends (cm:extends).",
               "再委託の場合、その元となる委託のID（cm:extends）。", "c-city-vendor", "ref", CM.extends,
               targets=("consignments",)),
        Column("parent_consignor", "Consignor above", "上位の委託元",
               "For a re-consignment, instead of an id: who consigned to this row's consignor. The consignment from "
               "that party to this row's consignor is the one extended.",
               "再委託の場合、IDの代わりに、この行の委託元に委託した者を書いてもよい。その者からこの行の委託元への委託が元の委託になる。",
               "港区", "ledger"),
        Column("duties", "Work entrusted", "委託業務",
               "The duties or work entrusted (cm:entrusts), separated by ';'. A name not in the Duties sheet "
               "creates a duty, accountable to the party at the top of the chain.",
               "委託する業務（cm:entrusts）。複数は「;」で区切る。業務シートにない名称は新しい業務になり、連鎖の最上位の委託元が責任者になる。",
               "住民記録の入力業務", "refs", CM.entrusts, targets=("duties",)),
        Column("data", "Data entrusted", "委託データ",
               "The personal data entrusted (cm:entrustsData), separated by ';'. A name not in the Data sheet "
               "creates a data asset controlled by the party at the top of the chain.",
               "委託する個人データ（cm:entrustsData）。複数は「;」で区切る。データシートにない名称は新しいデータになり、連鎖の最上位の委託元が取扱事業者になる。",
               "住民記録", "refs", CM.entrustsData, targets=("data",)),
        Column("data_items", "Data items", "データ項目",
               "Categories of the data entrusted (cm:category), separated by ';'.",
               "委託データの項目（cm:category）。複数は「;」で区切る。", "氏名; 住所; 生年月日", "ledger"),
        Column("sensitive_items", "Sensitive data items", "要配慮個人情報の項目",
               "Categories of the data entrusted that are special-care personal information (APPI Art. 2(3)).",
               "委託データの項目のうち要配慮個人情報（個人情報保護法第2条第3項）に当たるもの。", "病歴", "ledger"),
        Column("unit", "Unit", "単位",
               "What the count of the data entrusted counts: people (the default), households, records or companies "
               "(cm:unit); with one data asset in the row.",
               "委託データの数が数えるもの：人（既定）、世帯、件、社（cm:unit）。委託データが一つの行に書く。",
               "世帯", "ledger"),
        Column("subjects", "Count", "本人数・件数",
               "How many people (or units) the data entrusted covers (cm:subjectCount), with one data asset in the "
               "row; 'about 2,500,000', 'up to 40,000', '約250万', '最大4万', '1,000以上' state how exact it is "
               "(cm:countQualifier).",
               "委託データに含まれる本人（または単位）の数（cm:subjectCount）。委託データが一つの行に書く。"
               "「約250万」「最大4万」「1,000以上」のように書けば数の精度（cm:countQualifier）になる。", "約1万2千", "ledger",
               aliases=("Number of people", "本人数", "人数", "件数")),
        Column("per_principal", "Count per principal", "委託元別の本人数・件数",
               "How many of them each principal is accountable for: 'party = count', separated by ';'; a count may "
               "be qualified ('party = about 1,000').",
               "そのうち各委託元が責任を負う数。「当事者 = 数」を「;」で区切る。数は「港区 = 約1万」のように限定してよい。",
               "港区 = 12000", "ledger", aliases=("People per principal", "委託元別本人数")),
        *_dates("the consignment", "委託", ("Contract start", "契約開始日"), ("Contract end", "契約終了日")),
        Column("approval", "Re-consignment approval", "再委託の承諾",
               "For a re-consignment: approved, not approved, notified but not approved (the consignor was told but "
               "did not approve), or approval not recorded (cm:approval).",
               "再委託の場合：承諾あり、承諾なし、通知のみ（承諾なし：上位者に通知したが承諾は得ていない）、承諾の記録なし（cm:approval）。",
               "承諾あり", "choice", CM.approval, choices=APPROVALS),
        Column("approved_by", "Approved by", "承諾者", "The party that approved the re-consignment (cm:approvedBy).",
               "再委託を承諾した当事者（cm:approvedBy）。", "港区", "refs", CM.approvedBy, targets=("parties",)),
        Column("agreement", "Agreement", "契約書",
               "The contract the consignment rests on (cm:agreement): a row of the Agreements sheet, or a title, "
               "which creates the agreement.",
               "委託の根拠となる契約（cm:agreement）。契約シートの行、または契約名（契約が作られる）。",
               "住民記録処理業務委託契約書（2024年）", "ref", CM.agreement, targets=("agreements",)),
        Column("clauses", "Contract clauses", "契約条項",
               "Clauses of that agreement, separated by ';', each with its article in brackets: 're-consignment "
               "prohibited (Art. 12)', 'prior approval required (Art. 12(2))', 're-consignment only to: Sub Co, "
               "Other Co', 're-consignment only within JP', 'data stays in JP', 'deletion within 30 days (Art. 15)'. "
               "Without an agreement, one is created for the consignment.",
               "その契約の条項。複数は「;」で区切り、条番号を括弧で添える：「再委託禁止（第12条）」「再委託には事前の承諾が必要"
               "（第12条第2項）」「再委託先の限定：A社、B社」「再委託先はJP国内に限る」「データはJP国内に保管」"
               "「終了後30日以内に消去・返却（第15条）」。契約がなければこの委託の契約が作られる。",
               "再委託には事前の承諾が必要（第12条）; 終了後30日以内に消去・返却（第15条）", "ledger"),
        _laws(),
        Column("locations", "Where the data rests", "保管場所",
               "Devices or systems the consignee keeps the data entrusted on, separated by ';': each gets a copy "
               "of the data (cm:DataCopy on a cm:Device held by the consignee).",
               "委託先が委託データを保管する機器・システム。複数は「;」で区切る。それぞれにデータの複製が置かれる"
               "（委託先が保有する cm:Device 上の cm:DataCopy）。", "委託先データセンター", "ledger"),
        Column("controls", "Controls", "管理策",
               "Controls on this consignment, by name, separated by ';': a name not in the Controls sheet creates a "
               "control operated by the consignee that covers the places the data rests (or the work entrusted).",
               "この委託についての管理策の名称。複数は「;」で区切る。管理策シートにない名称は、委託先が運用し保管場所（なければ委託業務）を対象とする管理策になる。",
               "アクセス制御", "ledger"),
        Column("last_audit", "Last audit", "最終監査日",
               "The date the consignor last audited the consignee on this consignment (a cm:Audit event).",
               "委託元がこの委託について委託先を最後に監査した日（cm:Audit の出来事）。", "2025-06-30", "ledger"),
        *_comments(),
        Column("tier", "Tier (computed)", "階層（計算値）",
               "1 consignment, 2 re-consignment, 3 re-re-consignment: derived from the chain. Computed on export.",
               "1 委託、2 再委託、3 再々委託。連鎖から導く。出力時に計算する。", "2", "computed"),
        Column("single_points", "Single points of failure at the consignee (computed)", "委託先の単一障害点（計算値）",
               "Failures of elements the consignee operates that on their own let personal data leak (chainmodel leaks). "
               "Computed on export.",
               "委託先が運用する要素の失敗のうち、単独で個人データを漏えいさせるもの（chainmodel leaks）。出力時に計算する。",
               "portable laptop (loss or theft): 171,472 people", "computed"),
        Column("exposure", "Exposure per principal if the consignee is compromised (computed)",
               "委託先が侵害された場合の委託元別の影響（計算値）",
               "People exposed per accountable principal if the consignee is compromised (chainmodel blast). Computed on export.",
               "委託先が侵害された場合に影響を受ける本人数を委託元別に示す（chainmodel blast）。出力時に計算する。",
               "Resonac: 5,747; not attributed: 165,725", "computed"),
        _findings(),
    ),
)

AGREEMENTS = Sheet(
    "agreements", "Agreements", "契約",
    "Contracts that consignments and provisions rest on; their clauses are on the Clauses sheet (or in the "
    "Contract clauses column of a consignment).",
    "委託や提供の根拠となる契約。その条項は契約条項シート（または委託の契約条項列）に書く。",
    (CM.Agreement,), "agreement-",
    (
        _id("agreement-records-2024"),
        *_names("resident-records processing contract (2024)", "住民記録処理業務委託契約書（2024年）"),
        *_comments(),
        _findings(),
    ),
)

CLAUSES = Sheet(
    "clauses", "Clauses", "契約条項",
    "Clauses of agreements that chainmodel checks, one per row, in words with their article.",
    "chainmodel が検査する契約の条項。一行に一つ、条番号とともに文章で書く。",
    (CM.Clause,), "clause-",
    (
        _id("clause-records-12"),
        Column("agreement", "Agreement", "契約書", "The agreement the clause belongs to (cm:clause of that agreement).",
               "条項が属する契約（その契約の cm:clause）。", "agreement-records-2024", "inverse", CM.clause,
               targets=("agreements",)),
        Column("clause", "Clause", "条項",
               "What the clause says, with its article in brackets (cm:article): 're-consignment prohibited (Art. 12)', "
               "'prior approval required (Art. 12(2))', 're-consignment only to: Sub Co, Other Co (Art. 12(3))', "
               "'re-consignment only within JP', 'data stays in JP (Art. 20)', 'deletion within 30 days (Art. 15)', "
               "or in Japanese: 再委託禁止（第12条）, 再委託には事前の承諾が必要, 再委託先の限定：A社、B社, "
               "再委託先はJP国内に限る, データはJP国内に保管, 終了後30日以内に消去・返却.",
               "条項の内容と、括弧内の条番号（cm:article）：「再委託禁止（第12条）」「再委託には事前の承諾が必要（第12条第2項）」"
               "「再委託先の限定：A社、B社」「再委託先はJP国内に限る」「データはJP国内に保管（第20条）」「終了後30日以内に消去・返却"
               "（第15条）」。英語でもよい（re-consignment prohibited (Art. 12) など）。",
               "再委託には事前の承諾が必要（第12条第2項）", "clause"),
        *_names("", ""),
        *_comments(),
        _findings(),
    ),
)

BASIS_KINDS = (CM.ConsentProvision, CM.OptOutProvision, CM.JointUse, CM.ProvisionUnderLaw, CM.ProvisionBasis)

BASES = Sheet(
    "bases", "Provision bases", "提供の根拠",
    "Why a party may receive a principal's data outside a consignment: consent, the opt-out procedure, joint use, "
    "another law. A hand-off or copy is lawful only when some basis (or consignment) covers it.",
    "委託によらずに本人のデータを受け取れる理由：本人同意、オプトアウト、共同利用、他の法律。受け渡しや複製は、"
    "何らかの根拠（または委託）がある場合に限り適法となる。",
    (CM.ProvisionBasis,), "basis-",
    (
        _id("basis-consent"),
        *_names("provision to the insurer with consent", "保険会社への本人同意による提供"),
        Column("kind", "Kind", "種別",
               "provision with consent (APPI Art. 27(1)), provision under the opt-out procedure (Art. 27(2)), joint "
               "use (Art. 27(5)(iii)), provision under another law (name it in Under law), or provision basis.",
               "本人同意による提供（個人情報保護法第27条第1項）、オプトアウトによる提供（第27条第2項）、共同利用"
               "（第27条第5項第3号）、法令に基づく提供（根拠法列に法律を書く）、提供の根拠のいずれか。",
               "本人同意による提供", "types", choices=BASIS_KINDS),
        Column("provider", "Provider", "提供元", "The party that provides the data on this basis (cm:provider).",
               "この根拠でデータを提供する当事者（cm:provider）。", "港区", "refs", CM.provider, targets=("parties",)),
        Column("recipients", "Recipients", "提供先",
               "The parties that may receive and hold the data on this basis, separated by ';' (cm:recipient; for "
               "joint use, every joint user).",
               "この根拠でデータを受領・保有できる当事者。複数は「;」で区切る（cm:recipient。共同利用では各共同利用者）。",
               "保険会社", "refs", CM.recipient, targets=("parties",)),
        Column("data", "Data", "データ", "The data the basis covers (cm:providesData).", "この根拠が対象とするデータ（cm:providesData）。",
               "data-records", "refs", CM.providesData, targets=("data",)),
        _laws(),
        Column("agreement", "Agreement", "契約書", "The contract the provision rests on, if any (cm:agreement).",
               "提供の根拠となる契約（cm:agreement）。", "", "ref", CM.agreement, targets=("agreements",)),
        *_dates("the basis", "根拠", ("From", "開始日"), ("Until", "終了日")),
        *_comments(),
        _findings(),
    ),
)

DUTIES = Sheet(
    "duties", "Duties", "業務",
    "Duties and work with an accountable party: accepting opt-outs, safe management, deletion.",
    "責任者のある義務・業務：オプトアウトの受付、安全管理、削除など。",
    (CM.Duty,), "duty-",
    (
        _id("duty-records"),
        *_names("resident-records processing", "住民記録の入力業務"),
        Column("accountable", "Accountable party", "責任者", "The party that answers for the duty whoever performs it (cm:accountable).",
               "誰が実施しても責任を負う当事者（cm:accountable）。", "港区", "ref", CM.accountable, targets=("parties",)),
        Column("performers", "Performed by", "実施者", "Who actually performs it (cm:performedBy); empty: whoever its chains end at.",
               "実際に実施する当事者（cm:performedBy）。空欄なら連鎖の末端。", "株式会社サンプル", "refs", CM.performedBy,
               targets=("parties",)),
        Column("legal_basis", "Legal basis", "法的根拠", "The article or guideline it comes from (cm:legalBasis): a Legal sources row, or a shipped rule source such as rule:appi-25.",
               "根拠となる条文・ガイドライン（cm:legalBasis）。法令シートの行、または rule:appi-25 のような同梱の法令。",
               "rule:appi-23", "refs", CM.legalBasis, targets=("laws",)),
        Column("needs", "Needs", "前提とする業務", "Duties whose output this one needs (cm:needs).",
               "この業務が成果を必要とする他の業務（cm:needs）。", "duty-optout", "refs", CM.needs, targets=("duties",)),
        Column("protects", "Protects", "保護するデータ", "Data that must not pass where this duty guards a provision (cm:protects).",
               "この業務が提供を守るとき、通してはならないデータ（cm:protects）。", "data-optout", "refs", CM.protects,
               targets=("data",)),
        *_comments(),
        _findings(),
    ),
)

DATA = Sheet(
    "data", "Data", "データ",
    "Bodies of personal data with the number of people, per principal where known.",
    "個人データの集まり。本人数（分かれば委託元別）を持つ。",
    (CM.DataAsset,), "data-",
    (
        _id("data-records"),
        *_names("resident records", "住民記録"),
        Column("unit", "Unit", "単位",
               "What the counts of this data count (cm:unit): people (the default), households, records or companies. "
               "Counts of different units are never added.",
               "このデータの数が数えるもの（cm:unit）：人（既定）、世帯、件、社。単位の異なる数は足し合わせない。", "people",
               "choice", CM.unit, choices=UNITS),
        Column("subjects", "Count", "本人数・件数",
               "How many people (or units) the data covers (cm:subjectCount); 'about 2,500,000', 'up to 40,000', "
               "'at least 1,000', '約250万', '最大4万', '1,000以上' say how exact it is (cm:countQualifier).",
               "データに含まれる本人（または単位）の総数（cm:subjectCount）。「約250万」「最大4万」「1,000以上」"
               "のように書けば数の精度（cm:countQualifier）になる。", "12000", "count", CM.subjectCount,
               aliases=("Number of people", "本人数", "人数", "件数")),
        Column("per_principal", "Count per principal", "委託元別の本人数・件数",
               "How many of them each principal is accountable for: 'party = count', separated by ';' (cm:countFor); "
               "a count may be qualified: 'City = about 40,000'.",
               "そのうち各委託元が責任を負う数。「当事者 = 数」を「;」で区切る（cm:countFor）。数は「港区 = 約4万」のように限定してよい。",
               "港区 = 12000", "counts", CM.countFor, targets=("parties",),
               aliases=("People per principal", "委託元別本人数")),
        Column("categories", "Data items", "データ項目",
               "Categories in the data (cm:category): rows of the Data categories sheet, or names. The shipped "
               "categories are named by their labels: payment card number, bank account details, Individual Number "
               "(they may cause financial loss, or need the My Number Act's permission to re-consign).",
               "データに含まれる項目（cm:category）。データ項目シートの行または名称。同梱の項目はその名称で書ける："
               "クレジットカード番号、口座情報、個人番号（マイナンバー）（財産的被害のおそれ、番号法の許諾の対象になる）。",
               "氏名; 住所; 口座情報", "refs", CM.category, targets=("categories",)),
        Column("controllers", "Controller", "取扱事業者", "The principals accountable for the data (cm:controller).",
               "このデータについて責任を負う委託元（cm:controller）。", "港区", "refs", CM.controller, targets=("parties",)),
        Column("subject_group", "Data subjects", "本人", "The group of people the data is about (cm:subjects): a Parties row of kind data subjects.",
               "データの本人の集団（cm:subjects）。種別が本人の当事者。", "区民", "refs", CM.subjects, targets=("parties",)),
        Column("sensitive", "Sensitive", "要配慮個人情報", "yes for special-care personal information (cm:sensitive).",
               "要配慮個人情報であれば「はい」（cm:sensitive）。", "no", "bool", CM.sensitive),
        Column("anonymised", "Anonymised", "匿名加工済み", "yes for information processed so that no one can be identified (cm:anonymised).",
               "個人を特定できないよう加工された情報であれば「はい」（cm:anonymised）。", "no", "bool", CM.anonymised),
        Column("subset_of", "Part of", "部分集合", "A larger data asset this one is part of (cm:subsetOf).",
               "このデータを含むより大きなデータ（cm:subsetOf）。", "data-records", "refs", CM.subsetOf, targets=("data",)),
        Column("derived_from", "Derived from", "加工元", "Data this one was produced from (cm:derivedFrom).",
               "このデータの加工元（cm:derivedFrom）。", "data-records", "refs", CM.derivedFrom, targets=("data",)),
        Column("same_population", "Same people as", "同一の母集団",
               "Data about the same people as this one (cm:samePopulationAs): exposure counts them once.",
               "このデータと同じ人々についてのデータ（cm:samePopulationAs）。露出では一度だけ数える。", "data-tax", "refs",
               CM.samePopulationAs, targets=("data",)),
        Column("overlaps", "Overlaps with", "重複がある",
               "Data that shares some people with this one, how many unknown (cm:overlapsWith): exposure is given as bounds.",
               "このデータと共通の人を含むが、その数が分からないデータ（cm:overlapsWith）。露出は範囲で示す。", "", "refs",
               CM.overlapsWith, targets=("data",)),
        Column("disjoint", "No one in common with", "重複なし",
               "Data that shares no one with this one (cm:disjointFrom): their counts add up. Without any of these "
               "relations (or Part of) the overlap is unknown.",
               "このデータと共通の人がいないデータ（cm:disjointFrom）。数は足し合わせる。これらの関係（または部分集合）がなければ重複は不明とする。",
               "", "refs", CM.disjointFrom, targets=("data",)),
        *_comments(),
        _findings(),
    ),
)

CATEGORIES = Sheet(
    "categories", "Data categories", "データ項目",
    "Kinds of personal data (name, address, medical history), and which are sensitive.",
    "個人データの種類（氏名、住所、病歴など）と要配慮個人情報の別。",
    (CM.DataCategory,), "cat-",
    (
        _id("cat-name"),
        *_names("name", "氏名"),
        Column("sensitive", "Sensitive", "要配慮個人情報", "yes for special-care personal information (APPI Art. 2(3)).",
               "要配慮個人情報（個人情報保護法第2条第3項）であれば「はい」。", "no", "bool", CM.sensitive),
        Column("financial_loss", "May cause financial loss", "財産的被害のおそれ",
               "yes for a category whose misuse may cause financial loss, such as card numbers or online-banking "
               "credentials (cm:financialLoss): a leak is reportable whatever the number (PPC Rules Art. 7(ii)).",
               "不正に利用されると財産的被害が生じるおそれのある項目（クレジットカード番号、ネットバンキングの認証情報など）であれば"
               "「はい」（cm:financialLoss）。人数にかかわらず報告対象になる（個人情報保護委員会規則第7条第2号）。", "no", "bool",
               CM.financialLoss),
        *_comments(),
    ),
)

DEVICE_KINDS = (CM.Device, CM.PortableDevice, CM.FixedSystem, CM.Server, CM.NetworkAppliance, CM.VpnAppliance,
                CM.MaintenanceTerminal, CM.HostedSoftware)

DEVICES = Sheet(
    "devices", "Devices", "機器",
    "Places data rests: servers, laptops, USB sticks.", "データが置かれる場所：サーバ、ノートパソコン、USBメモリなど。",
    (CM.Device,), "device-",
    (
        _id("device-laptop"),
        *_names("portable laptop", "ノートパソコン"),
        Column("kind", "Kind", "種別",
               "device, portable device, fixed system, server, network appliance, VPN appliance, maintenance terminal "
               "or software run by a vendor: what can fail in it follows from the kind (loss or theft only for what "
               "can be carried away).",
               "機器、可搬機器、据置システム、サーバ、ネットワーク機器、VPN機器、保守端末、事業者が運用するソフトウェアのいずれか。"
               "起こりうる失敗は種別で決まる（紛失・盗難は持ち出せるものだけ）。", "device", "types", choices=DEVICE_KINDS),
        Column("portable", "Portable", "可搬", "yes for a device that can be carried away and lost (cm:portable).",
               "持ち出し・紛失しうる機器であれば「はい」（cm:portable）。", "yes", "bool", CM.portable),
        Column("internet_facing", "Internet-facing", "インターネット公開",
               "yes for a system reachable from the internet (cm:internetFacing): an intrusion can start there.",
               "インターネットから到達できるシステムであれば「はい」（cm:internetFacing）。侵入の起点になりうる。", "no", "bool",
               CM.internetFacing),
        Column("connects_to", "Connects to", "接続先",
               "The systems it reaches on the network (cm:connectsTo): what an intrusion through it reaches too.",
               "ネットワーク上で到達できるシステム（cm:connectsTo）。ここからの侵入はそれらにも及ぶ。", "", "refs", CM.connectsTo,
               targets=("devices",)),
        Column("run_by", "Run by (software)", "運用事業者（ソフトウェア）",
               "For software a vendor runs for the holder without being its processor: the vendor (cm:runBy).",
               "委託先ではない事業者が保有者のために運用するソフトウェアの場合、その事業者（cm:runBy）。", "", "refs", CM.runBy,
               targets=("parties",)),
        Column("held_by", "Held by", "保有者", "The party that holds the device (cm:heldBy).", "機器を保有する当事者（cm:heldBy）。",
               "株式会社サンプル", "ref", CM.heldBy, targets=("parties",)),
        _country("Where the device is located", "機器の所在国"),
        _failure_modes(),
        *_comments(),
        _findings(),
    ),
)

ACCOUNTS = Sheet(
    "accounts", "Accounts", "アカウント",
    "Ways into systems: who uses each account, what it opens, whether it is an administrator's or shared.",
    "システムへの入口：各アカウントの利用者、到達できるシステム、管理者権限や共有の有無。",
    (CM.Account,), "account-",
    (
        _id("account-admin"),
        *_names("administrator account of the database", "データベースの管理者アカウント"),
        Column("used_by", "Used by", "利用者", "The people who use it (cm:usedBy).", "利用する個人（cm:usedBy）。",
               "engineer", "refs", CM.usedBy, targets=("parties",)),
        Column("grants_access_to", "Opens", "到達先",
               "The systems it opens (cm:grantsAccessTo); connected systems are reached too.",
               "到達できるシステム（cm:grantsAccessTo）。接続されたシステムにも及ぶ。", "device-db", "refs",
               CM.grantsAccessTo, targets=("devices",)),
        Column("reads_data", "Reads data", "閲覧できるデータ",
               "The data it may read (cm:readsData); empty means all the data on what it opens for an administrator.",
               "閲覧できるデータ（cm:readsData）。管理者なら空欄は到達先のすべてのデータ。", "", "refs", CM.readsData,
               targets=("data",)),
        Column("administrator", "Administrator", "管理者権限", "yes for an administrator's account (cm:administrator).",
               "管理者のアカウントであれば「はい」（cm:administrator）。", "yes", "bool", CM.administrator),
        Column("shared", "Shared", "共有", "yes for an account several people share (cm:sharedAccount).",
               "複数人で共有するアカウントであれば「はい」（cm:sharedAccount）。", "no", "bool", CM.sharedAccount),
        *_comments(),
    ),
)

ATTACKS = Sheet(
    "attacks", "Attacks", "攻撃",
    "Attacks that need several conditions at once (an unpatched appliance and a reused password): each is a cut "
    "set of that order.",
    "複数の条件がそろって初めて成立する攻撃（未修正の機器と使い回されたパスワードなど）。条件の数の次数のカットセットになる。",
    (CM.Attack,), "attack-",
    (
        _id("attack-vpn"),
        *_names("ransomware through the VPN appliance", "VPN機器を経由したランサムウェア"),
        Column("target", "Target", "侵入先", "The system it gets into (cm:target).", "侵入されるシステム（cm:target）。",
               "device-vpn", "ref", CM.target, targets=("devices",)),
        Column("requires", "Requires", "成立条件", "The conditions that must all hold (cm:requires): rows of Conditions.",
               "すべてそろう必要のある条件（cm:requires）。成立条件シートの行。", "condition-unpatched", "refs", CM.requires,
               targets=("conditions",)),
        Column("attacker", "Attacker", "攻撃者", "Who attacks, when known (cm:attacker).", "攻撃者（分かる場合、cm:attacker）。",
               "", "ref", CM.attacker, targets=("parties",)),
        _failure_modes(),
        *_comments(),
    ),
)

CONDITIONS = Sheet(
    "conditions", "Conditions", "成立条件",
    "What an attack needs: a missing patch, a reused password, an open port.",
    "攻撃の成立に必要な条件：未適用の修正、使い回されたパスワード、開いたポートなど。",
    (CM.Condition,), "condition-",
    (
        _id("condition-unpatched"),
        *_names("the appliance is not patched", "機器に修正が適用されていない"),
        Column("concerns", "Concerns", "対象要素", "What it is about (cm:concerns): a system, an account.",
               "関わる要素（cm:concerns）：システム、アカウントなど。", "device-vpn", "refs", CM.concerns, targets=ANY),
        Column("always_holds", "Always holds", "常に成立",
               "yes when it holds whatever happens (cm:alwaysHolds): the attack then needs one condition fewer.",
               "常に成り立つ条件であれば「はい」（cm:alwaysHolds）。攻撃に必要な条件が一つ減る。", "no", "bool", CM.alwaysHolds),
        *_comments(),
    ),
)

COPIES = Sheet(
    "copies", "Copies", "複製",
    "Where a copy of data rests: on a device, or with a party.", "データの複製の置き場所：機器上、または当事者の手元。",
    (CM.DataCopy,), "copy-",
    (
        _id("copy-records-on-laptop"),
        *_names("backup of resident records on the laptop", "ノートパソコン上の住民記録のバックアップ"),
        Column("data", "Copy of", "複製元", "The data asset the copy holds (cm:copyOf).", "複製が保持するデータ（cm:copyOf）。",
               "data-records", "ref", CM.copyOf, targets=("data",)),
        Column("device", "Stored on", "保存先機器", "The device it rests on (cm:storedOn).", "複製が置かれた機器（cm:storedOn）。",
               "device-laptop", "ref", CM.storedOn, targets=("devices",)),
        Column("held_by", "Held by", "保有者", "The party holding it when it is on no device (cm:heldBy).",
               "機器上にない場合の保有者（cm:heldBy）。", "", "ref", CM.heldBy, targets=("parties",)),
        *_dates("the copy rests there", "複製が置かれる期間", ("Since", "開始日"), ("Until", "終了日")),
        _basis("holds the copy", "複製を保有する"),
        _failure_modes(),
        *_comments(),
        _findings(),
    ),
)

HANDOFF_KINDS = (CM.DataProvision, CM.Report, CM.Instruction, CM.HandOff)

HANDOFFS = Sheet(
    "handoffs", "Hand-offs", "受け渡し",
    "Transfers between two parties: data provisions, reports up a chain, instructions down it.",
    "二者間の受け渡し：データ提供、連鎖を上る報告、下る指示。",
    (CM.HandOff,), "h-",
    (
        _id("h-monthly-report"),
        *_names("monthly report to the city", "区への月次報告"),
        Column("kind", "Kind", "種別", "data provision, report, instruction or hand-off.", "データ提供、報告、指示、受け渡しのいずれか。",
               "report", "types", choices=HANDOFF_KINDS),
        Column("sender", "From", "送り手", "The party that sends (cm:sender).", "送る当事者（cm:sender）。", "株式会社サンプル",
               "ref", CM.sender, targets=("parties",)),
        Column("receiver", "To", "受け手", "The party that receives (cm:receiver).", "受け取る当事者（cm:receiver）。", "港区",
               "ref", CM.receiver, targets=("parties",)),
        Column("carries", "Carries data", "運ぶデータ", "The data it carries (cm:carries).", "運ぶデータ（cm:carries）。",
               "data-records", "refs", CM.carries, targets=("data",)),
        Column("serves", "Serves duty", "担う業務", "The duty it is part of (cm:serves).", "この受け渡しが担う業務（cm:serves）。",
               "duty-records", "refs", CM.serves, targets=("duties",)),
        Column("guarded_by", "Guarded by", "守る業務", "For a data provision: a duty that must be done before it (cm:guardedBy).",
               "データ提供の場合、その前に実施されなければならない業務（cm:guardedBy）。", "", "refs", CM.guardedBy,
               targets=("duties",)),
        Column("lead_time", "Lead time", "猶予期間", "Time between what the guard needs and the provision (cm:leadTime), e.g. P3M.",
               "守る業務に必要な情報から提供までの期間（cm:leadTime）。例：P3M。", "P3M", "duration", CM.leadTime),
        Column("cadence", "Cadence", "頻度", "How often it happens (cm:cadence): P1M is monthly.", "頻度（cm:cadence）。P1M は毎月。",
               "P1M", "duration", CM.cadence),
        Column("acknowledged_by", "Acknowledged by", "受領確認", "A hand-off that acknowledges this one (cm:acknowledgedBy).",
               "この受け渡しへの受領確認（cm:acknowledgedBy）。", "", "refs", CM.acknowledgedBy, targets=("handoffs",)),
        *_dates("the hand-off", "受け渡し", ("Since", "開始日"), ("Until", "終了日")),
        _basis("receives the data", "データを受け取る"),
        _failure_modes(),
        *_comments(),
        _findings(),
    ),
)

CONTROL_KINDS = (CM.PreventiveControl, CM.DetectiveControl, CM.Control)

CONTROLS = Sheet(
    "controls", "Controls", "管理策",
    "Measures that prevent or detect failures: encryption, access control, reconciliation, audits.",
    "失敗を防止・検知する措置：暗号化、アクセス制御、照合、監査など。",
    (CM.Control,), "control-",
    (
        _id("control-encryption"),
        *_names("full-disk encryption", "ディスク全体の暗号化"),
        Column("kind", "Kind", "種別", "preventive control, detective control, or control.", "予防的管理策、発見的管理策、管理策のいずれか。",
               "preventive control", "types", choices=CONTROL_KINDS),
        Column("operated_by", "Operated by", "運用者", "The party that runs it (cm:operatedBy).", "運用する当事者（cm:operatedBy）。",
               "株式会社サンプル", "refs", CM.operatedBy, targets=("parties",)),
        Column("covers", "Covers", "対象", "Elements it protects or checks (cm:covers): a hand-off, duty, copy or device.",
               "保護・確認する要素（cm:covers）：受け渡し、業務、複製、機器。", "device-laptop", "refs", CM.covers, targets=ANY),
        Column("notifies", "Notifies", "通知先", "Whom a detective control tells (cm:notifies); empty: its operator.",
               "発見的管理策が知らせる当事者（cm:notifies）。空欄なら運用者。", "港区", "refs", CM.notifies, targets=("parties",)),
        Column("latency", "Detects within", "検知までの期間", "How soon a detective control detects (cm:detectionLatency), e.g. P1M.",
               "発見的管理策が検知するまでの期間（cm:detectionLatency）。例：P1M。", "P1M", "duration", CM.detectionLatency),
        Column("rules_out_leak", "Rules a leak out", "漏えいを否定できる",
               "For a preventive control: yes when it alone rules a leak out (cm:rulesOutLeak).",
               "予防的管理策の場合、単独で漏えいを否定できれば「はい」（cm:rulesOutLeak）。", "yes", "bool", CM.rulesOutLeak),
        Column("limitation_en", "Limitation (English)", "限界（英語）", "Why the control does not do more (cm:limitation @en).",
               "管理策の限界（cm:limitation @en）。", "", "text", CM.limitation, lang="en"),
        Column("limitation_ja", "Limitation (Japanese)", "限界（日本語）", "The same in Japanese (cm:limitation @ja).",
               "同じく日本語で（cm:limitation @ja）。", "", "text", CM.limitation, lang="ja"),
        *_comments(),
        _findings(),
    ),
)

EVENT_KINDS = (CM.Event, CM.ExposureBegan, CM.Detected, CM.Reported, CM.Audit, CM.Deleted, CM.Returned,
               CM.BecameAware, CM.Recovered, CM.ExposureEnded, CM.ProvisionStopped, CM.PreliminaryReport,
               CM.FinalReport)

EVENTS = Sheet(
    "events", "Events", "出来事",
    "Dated facts: audits, losses, detections, reports.", "日付のある事実：監査、紛失、検知、報告など。",
    (CM.Event,), "e-",
    (
        _id("e-audit-2025"),
        *_names("annual audit of the vendor", "委託先の年次監査"),
        Column("kind", "Kind", "種別",
               "event, exposure began, detected, came to know, reported, preliminary report, final report, audit, "
               "deleted, returned, recovered, provision stopped or exposure ended (a deletion or return of the copy it "
               "concerns ends that copy's holding; the timeline reads the others).",
               "出来事、露出の開始、検知、覚知、報告、速報、確報、監査、消去、返却、回収、提供停止、露出の終了のいずれか"
               "（消去・返却は対象の複製の保持を終わらせる。その他は経過の分析が読む）。",
               "audit", "types", choices=EVENT_KINDS),
        Column("date", "Date", "日付", "When it happened (cm:date): 2025-03-15, 2025-03 or 2025.",
               "日付（cm:date）：2025-03-15、2025-03 または 2025。", "2025-06-30", "date", CM.date),
        Column("actor", "Actor", "行為者", "The party that acted (cm:actor).", "行為者（cm:actor）。", "港区", "ref", CM.actor,
               targets=("parties",)),
        Column("concerns", "Concerns", "対象要素", "What it is about (cm:concerns): a consignment, device, hand-off, copy.",
               "関わる要素（cm:concerns）：委託、機器、受け渡し、複製など。", "c-city-vendor", "refs", CM.concerns, targets=ANY),
        Column("notified_to", "Notified to", "報告先", "For a report: whom it went to (cm:notifiedTo).", "報告の相手（cm:notifiedTo）。",
               "", "refs", CM.notifiedTo, targets=("parties",)),
        *_comments(),
    ),
)

INCIDENTS = Sheet(
    "incidents", "Incidents", "事案",
    "Breaches or failures that happened, with their events.", "実際に起きた漏えい・失敗と、その出来事。",
    (CM.Incident,), "incident-",
    (
        _id("incident-lost-laptop"),
        *_names("loss of a laptop", "ノートパソコンの紛失"),
        Column("concerns", "Concerns", "対象要素", "The element that failed (cm:concerns).", "失敗した要素（cm:concerns）。",
               "copy-records-on-laptop", "refs", CM.concerns, targets=ANY),
        Column("failed_with", "Failed with", "失敗の態様", "The failure mode that happened (cm:failedWith).", "起きた故障モード（cm:failedWith）。",
               "loss or theft", "choices", CM.failedWith, choices=FAILURE_MODES),
        Column("events", "Events", "出来事", "Its events (cm:hasEvent): rows of the Events sheet.", "事案の出来事（cm:hasEvent）。出来事シートの行。",
               "e-lost", "refs", CM.hasEvent, targets=("events",)),
        Column("improper_purpose", "Possible improper purpose", "不正の目的のおそれ",
               "yes when the leak may have been caused with an improper purpose: theft, intrusion, an insider taking "
               "data (cm:improperPurpose); reportable whatever the number (PPC Rules Art. 7(iii)).",
               "漏えい等が不正の目的をもって行われたおそれがある（窃取、不正アクセス、従業員による持ち出しなど）場合に「はい」"
               "（cm:improperPurpose）。人数にかかわらず報告対象になる（個人情報保護委員会規則第7条第3号）。", "yes", "bool",
               CM.improperPurpose),
        *_comments(),
    ),
)

LAWS = Sheet(
    "laws", "Legal sources", "法令",
    "Laws, articles and guidelines cited by duties, parties and consignments.", "業務、当事者、委託が引用する法律、条文、ガイドライン。",
    (CM.LegalSource,), "law-",
    (
        _id("appi"),
        *_names("Act on the Protection of Personal Information", "個人情報の保護に関する法律"),
        Column("citation", "Citation", "出典", "How it is cited (cm:citation).", "出典の表記（cm:citation）。", "APPI (Act No. 57 of 2003)",
               "text", CM.citation),
        *_comments(),
    ),
)

SHEETS: tuple[Sheet, ...] = (PARTIES, CONSIGNMENTS, AGREEMENTS, CLAUSES, DUTIES, DATA, CATEGORIES, DEVICES, ACCOUNTS,
                             ATTACKS, CONDITIONS, COPIES, HANDOFFS, BASES, CONTROLS, EVENTS, INCIDENTS, LAWS)
"""Every sheet, in the order a workbook holds them."""

OTHER_SHEET = Sheet(
    "other", "Other statements", "その他の記述",
    "Statements of the model that no column above carries, one per row, in Turtle terms (prefixed names or "
    "<IRIs>, literals in quotes). Kept so that a ledger gives back the whole model.",
    "上の列のどれにも入らないモデルの記述。一行に一つ、Turtle の書き方（接頭辞付きの名前または <IRI>、引用符付きのリテラル）で書く。台帳からモデル全体を復元するためのもの。",
    (), "",
    (
        Column("subject", "Subject", "主語", "The element the statement is about.", "記述の対象。", "ex:vendor", "statement"),
        Column("predicate", "Property", "述語", "The property.", "属性。", "cm:failureMode", "statement"),
        Column("object", "Value", "目的語", "The value: a name, an <IRI> or a \"literal\".", "値：名前、<IRI>、または \"リテラル\"。",
               "cm:LossOrTheft", "statement"),
    ),
)

ABOUT_SHEET = ("About", "台帳について")
NOTES_SHEET = ("Notes", "列の説明")


def sheet_by_key(key: str) -> Sheet:
    """The sheet with this key.

    Raises
    ------
    KeyError
        No sheet has this key.
    """
    for sheet in (*SHEETS, OTHER_SHEET):
        if sheet.key == key:
            return sheet
    raise KeyError(key)
