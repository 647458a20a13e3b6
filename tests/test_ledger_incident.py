"""A public incident modelled as a new user would: a ledger with Japanese headers, imported, validated, ranked.

Amagasaki City, June 2022, as reported at the time: the city consigned work on the temporary special
benefit to BIPROGY Inc.; an employee of a company BIPROGY had re-consigned the work to lost, after a
night out on 2022-06-21, a USB stick holding the data of all residents (about 460,000 people), including
the bank accounts of households receiving public assistance or child allowance; the city announced the
loss on 2022-06-23 and the stick was found on 2022-06-24. The re-consignee is not named here. FICTIONAL,
for the test only, and said so in the ledger's notes: the agreement's title, its clause requiring prior
approval and its article number, and the approval state of the re-consignment.
"""

import json

import pytest
from inline import answer
from test_ledger_import import run, write_book

BASE = "https://example.org/amagasaki#"
FICTIONAL = "検証用の架空の設定（fictional, for the test only）"
REPORTED = "2022年6月の報道による"

LEDGER = {
    "当事者": [("ID", "名称（日本語）", "名称（英語）", "主体の区分", "所在国", "備考（日本語）"),
            ("amagasaki", "尼崎市", "Amagasaki City", "地方公共団体", "JP", REPORTED),
            ("biprogy", "BIPROGY株式会社", "BIPROGY Inc.", "民間事業者", "JP", "市の委託先。" + REPORTED),
            ("reconsignee", "BIPROGYの再委託先", "BIPROGY's re-consignee", "民間事業者", "JP",
             "USBメモリを紛失した社員の所属先。社名はここでは省略")],
    "委託": [("ID", "委託元", "委託先", "上位の委託元", "委託業務", "委託データ", "再委託の承諾", "契約書", "備考（日本語）"),
           ("c-city-biprogy", "尼崎市", "BIPROGY株式会社", "", "臨時特別給付金の支給事務",
            "全市民の住民情報; 生活保護・児童手当受給世帯の口座情報", "", "臨時特別給付金支給事務委託契約（架空の名称）", REPORTED),
           ("c-biprogy-reconsignee", "BIPROGY株式会社", "BIPROGYの再委託先", "尼崎市", "臨時特別給付金の支給事務",
            "全市民の住民情報; 生活保護・児童手当受給世帯の口座情報", "承諾なし", "", "承諾の状態は" + FICTIONAL)],
    "契約条項": [("ID", "契約書", "条項", "備考（日本語）"),
             ("clause-approval", "臨時特別給付金支給事務委託契約（架空の名称）", "再委託には事前の承諾が必要（第12条）",
              "条項と条番号は" + FICTIONAL)],
    "データ": [("ID", "名称（日本語）", "単位", "本人数・件数", "データ項目", "取扱事業者", "部分集合", "備考（日本語）"),
            ("residents", "全市民の住民情報", "人", "約46万", "氏名; 住所; 生年月日; 住民税の情報", "尼崎市", "",
             "住民基本台帳に基づく全市民分。" + REPORTED),
            ("accounts", "生活保護・児童手当受給世帯の口座情報", "人", "", "口座情報", "尼崎市", "residents",
             "人数は資料にない")],
    "機器": [("ID", "名称（日本語）", "可搬", "保有者"), ("usb", "USBメモリ", "はい", "BIPROGYの再委託先")],
    "複製": [("ID", "複製元", "保存先機器", "開始日"),
           ("copy-residents-usb", "residents", "usb", "2022-06-21"),
           ("copy-accounts-usb", "accounts", "usb", "2022-06-21")],
    "出来事": [("ID", "名称（日本語）", "種別", "日付", "行為者", "対象要素"),
            ("e-lost", "飲酒後にかばんごとUSBメモリを紛失", "露出の開始", "2022-06-21", "BIPROGYの再委託先", "usb"),
            ("e-announced", "市が公表", "報告", "2022-06-23", "尼崎市", "usb"),
            ("e-found", "USBメモリを発見", "出来事", "2022-06-24", "", "usb")],
    "事案": [("ID", "名称（日本語）", "対象要素", "失敗の態様", "出来事"),
           ("incident-usb", "USBメモリの紛失", "usb", "紛失・盗難", "e-lost; e-announced; e-found")],
}


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    folder = tmp_path_factory.mktemp("amagasaki")
    write_book(folder / "台帳.xlsx", LEDGER)
    result = run("import", folder / "台帳.xlsx", "-o", folder / "model.ttl", "--base", BASE, "--lang", "ja")
    assert result.exit_code == 0, result.output
    assert "契約「臨時特別給付金支給事務委託契約（架空の名称）」を" in result.output  # created from its title, and said so
    return folder / "model.ttl"


def test_validate_finds_the_re_consignment_the_agreement_did_not_allow(model):
    result = run("validate", model, "--format", "json")
    assert result.exit_code == 1
    findings = answer(result.output)["findings"]["entries"]
    assert [(f["severity"], f["rule"]["name"]) for f in findings] == \
        [("error", "rule:reconsignment-without-required-approval")]  # and no shape error, no unread term
    focus = [item["iri"][len(BASE):] for item in findings[0]["focus"]]
    assert focus[:3] == ["c-biprogy-reconsignee", "c-city-biprogy", "clause-approval"]
    text = run("validate", model, "--lang", "ja").output
    assert "契約が求める事前の承諾のない再委託" in text and "第12条" in text


@pytest.fixture(scope="module")
def ranked(model):
    result = run("blast", "--rank", model, "--format", "json")
    assert result.exit_code == 0
    return {entry["element"]["iri"][len(BASE):]: entry for entry in answer(result.output)["blast_rank"]["entries"]}


def test_blast_rank_every_holder_exposes_about_460000_people_once(ranked):
    assert sorted(ranked) == ["amagasaki", "biprogy", "reconsignee", "usb"]
    for entry in ranked.values():
        (people,) = entry["exposure"]["populations"]  # one unit: people; the accounts are a subset, not added
        assert people["unit"]["name"] == "cm:People"
        assert (people["count"]["at_least"], people["count"]["at_most"], people["count"]["approximate"]) == \
            (460000, 460000, True)
        assert [r["reason"] for r in people["reasons"]] == ["count-approximate"]


def test_the_lost_stick_is_reported_under_the_citys_own_ordinance_in_2022(ranked):
    (duty,) = ranked["usb"]["duties"]
    assert duty["principal"]["iri"] == BASE + "amagasaki"
    assert duty["regime"]["name"] == "rule:regime-local-before-2023"  # APPI Art. 68 binds cities from 2023-04-01
    assert duty["regime_choice"]["mandatory"] is False
    triggers = {t["trigger"]: t for t in duty["triggers"]}
    assert triggers["financial-loss"]["status"] == "yes"  # 口座情報 is the shipped bank-account category
    assert [a["iri"] for a in triggers["financial-loss"]["assets"]] == [BASE + "accounts"]
    assert triggers["sensitive"]["status"] == "no"
    (route,) = duty["routes"]
    assert [c["iri"][len(BASE):] for c in route["chain"]] == ["c-city-biprogy", "c-biprogy-reconsignee"]
    steps = [(n["from"]["iri"], n["to"]["iri"]) for n in duty["notifications"]]
    assert steps[:2] == [(BASE + "reconsignee", BASE + "biprogy"), (BASE + "biprogy", BASE + "amagasaki")]


def test_blast_rank_in_japanese_says_about_460000_and_the_ordinance(model):
    text = run("blast", "--rank", model, "--lang", "ja").output
    assert "露出: 約460,000人" in text
    assert "当該地方公共団体の条例による（2023年4月1日より前）" in text
    assert "尼崎市 -> BIPROGY株式会社 (第1階層) -> BIPROGYの再委託先 (第2階層)" in text


def test_the_ledger_exported_back_shows_the_finding_on_the_rows(model, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "out.xlsx"
    assert run("export", model, "--ledger", out, "--lang", "ja").exit_code == 0
    rows = list(load_workbook(out)["委託"].iter_rows(values_only=True))
    by_id = {row[0]: dict(zip(rows[0], row)) for row in rows[1:]}
    sub = by_id["c-biprogy-reconsignee"]
    assert sub["再委託の承諾"] == "承諾なし" and sub["保管場所"] == "usb"
    assert by_id["c-city-biprogy"]["保管場所"] is None  # the stick is the re-consignee's, not BIPROGY's
    assert by_id["c-city-biprogy"]["契約条項"] == "再委託には事前の承諾が必要（第12条）"
    assert "error: 契約が求める事前の承諾のない再委託 [個人情報保護法第25条; 契約の条項]" in sub["検証結果（計算値）"]
    assert sub["委託先が侵害された場合の委託元別の影響（計算値）"] == "尼崎市: 約460,000人; 合計: 約460,000人"
