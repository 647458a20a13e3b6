"""Issue 14: people and access, failure modes by kind, attacks that need several conditions,
and leak paths that follow the data on along every transfer without a basis."""

from chainmodel.access import acting_for, reach
from chainmodel.cutsets import minimal_cut_sets
from chainmodel.failures import FINDER, INTRUDER, OPEN_TO, harms
from chainmodel.leaks import single_points_of_failure

from inline import CM, EX, ex

INSIDER = """
ex:shop a cm:Organisation ; rdfs:label "shop"@en , "販売店"@ja .
ex:vendor a cm:Organisation ; rdfs:label "vendor"@en , "委託先"@ja .
ex:agency a cm:Organisation ; rdfs:label "staffing agency"@en , "派遣元"@ja .
ex:broker a cm:Organisation ; rdfs:label "list broker"@en , "名簿業者"@ja .
ex:buyer-1 a cm:Organisation ; rdfs:label "buyer 1"@en , "購入者1"@ja .
ex:buyer-2 a cm:Organisation ; rdfs:label "buyer 2"@en , "購入者2"@ja .
ex:worker a cm:DispatchedWorker ; rdfs:label "dispatched engineer"@en , "派遣技術者"@ja ;
    cm:worksFor ex:agency ; cm:placedAt ex:vendor .
ex:c1 a cm:Consignment ; cm:consignor ex:shop ; cm:consignee ex:vendor ; cm:entrustsData ex:customers .
ex:customers a cm:DataAsset ; rdfs:label "customers"@en ; cm:controller ex:shop ; cm:subjectCount 30000 ;
    cm:countFor [ a cm:SubjectCount ; cm:principal ex:shop ; cm:count 30000 ] .
ex:east a cm:DataAsset ; rdfs:label "customers in the east"@en ; cm:subsetOf ex:customers ; cm:controller ex:shop ;
    cm:subjectCount 12000 .
ex:db a cm:Server ; rdfs:label "customer database"@en ; cm:heldBy ex:vendor .
ex:db-copy a cm:DataCopy ; cm:copyOf ex:customers ; cm:storedOn ex:db .
ex:admin a cm:Account ; cm:usedBy ex:worker ; cm:grantsAccessTo ex:db ; cm:administrator true .
ex:sale-1 a cm:DataProvision ; cm:sender ex:worker ; cm:receiver ex:broker ; cm:carries ex:customers .
ex:sale-2 a cm:DataProvision ; cm:sender ex:broker ; cm:receiver ex:buyer-1 ; cm:carries ex:customers .
ex:sale-3 a cm:DataProvision ; cm:sender ex:buyer-1 ; cm:receiver ex:buyer-2 ; cm:carries ex:east .
ex:write-block a cm:PreventiveControl ; cm:operatedBy ex:vendor ; cm:covers ex:db ; cm:rulesOutLeak true .
"""


def _insider_leak(view):
    (leak,) = [leak for leak in single_points_of_failure(view) if leak.harm_kind == "insider-exfiltration"]
    return leak


def test_a_dispatched_worker_acts_for_the_contractor_he_is_placed_at_and_reaches_the_database(view_of):
    view = view_of(INSIDER)
    assert acting_for(view, EX + "worker") == EX + "vendor"
    found = reach(view, EX + "worker")
    assert (found.accounts, found.systems, found.administrator_on) == (ex("admin"), ex("db"), ex("db"))
    assert found.assets == ex("customers")


def test_an_insider_sale_lists_every_hop_and_everyone_downstream_with_what_each_holds(view_of):
    view = view_of(INSIDER)
    leak = _insider_leak(view)
    assert leak.element == EX + "worker" and leak.modes == (CM + "InsiderExfiltration",)
    assert leak.operators == ex("vendor") and leak.accountable == ex("shop")
    assert [(s.element, s.sender, s.receiver, s.role) for s in leak.path] == [
        (EX + "worker", EX + "worker", None, "fails"),
        (EX + "worker", EX + "worker", EX + "worker", "exposes-what-it-holds"),
        (EX + "sale-1", EX + "worker", EX + "broker", "passes-it-on-without-basis"),
        (EX + "sale-2", EX + "broker", EX + "buyer-1", "passes-it-on-without-basis"),
        (EX + "sale-3", EX + "buyer-1", EX + "buyer-2", "passes-it-on-without-basis"),
    ]
    assert leak.reached == ex("worker", "broker", "buyer-1", "buyer-2")
    held = {party: exposed.people.count.figure for party, exposed in leak.holdings}
    assert held == {EX + "worker": 30000, EX + "broker": 30000, EX + "buyer-1": 30000, EX + "buyer-2": 12000}


def test_an_administrator_can_switch_off_the_control_that_would_stop_an_insider(view_of):
    leak = _insider_leak(view_of(INSIDER))
    (verdict,) = leak.uncaught_by
    assert verdict.control == EX + "write-block"
    assert [r.key for r in verdict.reasons] == ["verdict.administrator-can-switch-it-off"]


def test_the_same_control_counts_against_an_insider_without_administrator_rights(view_of):
    view = view_of(INSIDER.replace("cm:administrator true", "cm:administrator false"))
    (harm,) = [h for h in harms(view) if h.kind == "insider-exfiltration"]
    assert minimal_cut_sets(harm, 2) == [(EX + "worker", EX + "write-block")]


ATTACK = """
ex:city a cm:Organisation ; rdfs:label "city"@en .
ex:vendor a cm:Organisation ; rdfs:label "vendor"@en .
ex:c1 a cm:Consignment ; cm:consignor ex:city ; cm:consignee ex:vendor ; cm:entrustsData ex:residents .
ex:residents a cm:DataAsset ; cm:controller ex:city ; cm:subjectCount 500 .
ex:vpn a cm:VpnAppliance ; cm:heldBy ex:vendor ; cm:internetFacing true ; cm:connectsTo ex:db ;
    cm:failureMode cm:Intrusion .
ex:db a cm:Server ; cm:heldBy ex:vendor .
ex:db-copy a cm:DataCopy ; cm:copyOf ex:residents ; cm:storedOn ex:db .
ex:ops a cm:Account ; cm:usedBy ex:vendor ; cm:grantsAccessTo ex:vpn .
ex:attack a cm:Attack ; cm:target ex:vpn ; cm:failureMode cm:Ransomware ; cm:requires ex:unpatched , ex:reused .
ex:unpatched a cm:Condition ; cm:concerns ex:vpn .
ex:reused a cm:Condition ; cm:concerns ex:ops .
"""


def test_an_intrusion_that_needs_two_conditions_is_an_order_2_cut_set(view_of):
    view = view_of(ATTACK)
    (attack,) = [h for h in harms(view) if h.kind == "attack"]
    assert attack.key == EX + "attack" and attack.exposed_assets == ex("residents")  # behind the appliance
    assert minimal_cut_sets(attack, 2) == [(EX + "reused", EX + "unpatched")]
    assert attack.reached == (INTRUDER,)
    assert not [h for h in harms(view) if h.key == EX + "vpn"]  # the attack states how the appliance is got into
    assert not [leak for leak in single_points_of_failure(view) if leak.harm_kind == "attack"]


def test_a_condition_modelled_as_always_holding_leaves_the_other_as_a_single_point(view_of):
    view = view_of(ATTACK.replace("ex:unpatched a cm:Condition ;", "ex:unpatched a cm:Condition ; cm:alwaysHolds true ;"))
    (attack,) = [h for h in harms(view) if h.kind == "attack"]
    assert minimal_cut_sets(attack, 2) == [(EX + "reused",)]
    (leak,) = [leak for leak in single_points_of_failure(view) if leak.harm_kind == "attack"]
    assert (leak.element, leak.element_kind, leak.modes) == (EX + "reused", "condition", (CM + "Ransomware",))
    assert leak.operators == ex("vendor")


def test_a_preventive_control_on_a_condition_raises_the_order(view_of):
    view = view_of(ATTACK + "ex:mfa a cm:PreventiveControl ; cm:operatedBy ex:vendor ; cm:covers ex:ops ; "
                            "cm:rulesOutLeak true .")
    (attack,) = [h for h in harms(view) if h.kind == "attack"]
    assert minimal_cut_sets(attack, 3) == [tuple(sorted(ex("mfa", "reused", "unpatched")))]


def test_a_declared_failure_mode_is_reported_by_its_own_name_and_reaches_an_intruder(view_of):
    view = view_of("""
ex:co a cm:Organisation . ex:data a cm:DataAsset ; cm:controller ex:co ; cm:subjectCount 10 .
ex:lockbit a cm:FailureMode ; cm:kindOf cm:Ransomware ; rdfs:label "LockBit ransomware"@en , "LockBit"@ja .
ex:nas a cm:Server ; cm:heldBy ex:co ; cm:internetFacing true ; cm:failureMode ex:lockbit .
ex:nas-copy a cm:DataCopy ; cm:copyOf ex:data ; cm:storedOn ex:nas .
""")
    (leak,) = [leak for leak in single_points_of_failure(view) if leak.harm_kind == "device-exposure"]
    assert (leak.element, leak.modes, leak.reached) == (EX + "nas", (EX + "lockbit",), (INTRUDER,))
    mode = view.failure_modes[EX + "lockbit"]
    assert (mode.effect, mode.improper_purpose, mode.kind_of) == (CM + "Exposes", True,
                                                                  (EX + "lockbit", CM + "Ransomware", CM + "Intrusion"))
    assert view.model.label(leak.modes[0]) == "LockBit ransomware"


def test_a_server_that_never_moves_is_never_lost_or_stolen(view_of):
    view = view_of("""
ex:co a cm:Organisation . ex:data a cm:DataAsset ; cm:controller ex:co ; cm:subjectCount 10 .
ex:server a cm:Server ; cm:heldBy ex:co .
ex:rack a cm:Device ; cm:portable false ; cm:heldBy ex:co .
ex:laptop a cm:Device ; cm:portable true ; cm:heldBy ex:co .
ex:unknown a cm:Device ; cm:heldBy ex:co .
ex:c1 a cm:DataCopy ; cm:copyOf ex:data ; cm:storedOn ex:server .
ex:c2 a cm:DataCopy ; cm:copyOf ex:data ; cm:storedOn ex:rack .
ex:c3 a cm:DataCopy ; cm:copyOf ex:data ; cm:storedOn ex:laptop .
ex:c4 a cm:DataCopy ; cm:copyOf ex:data ; cm:storedOn ex:unknown .
""")
    devices = {h.key: h.reached for h in harms(view) if h.kind == "device-exposure"}
    assert devices == {EX + "laptop": (FINDER,), EX + "unknown": (FINDER,)}  # a device not known to be fixed may move


def test_a_misconfigured_internet_facing_system_reaches_whoever_the_setting_lets_in(view_of):
    view = view_of("""
ex:co a cm:Organisation . ex:data a cm:DataAsset ; cm:controller ex:co ; cm:subjectCount 10 .
ex:bucket a cm:HostedSoftware ; cm:heldBy ex:co ; cm:runBy ex:cloud ; cm:failureMode cm:Misconfiguration .
ex:cloud a cm:Organisation .
ex:copy a cm:DataCopy ; cm:copyOf ex:data ; cm:storedOn ex:bucket .
""")
    (leak,) = [leak for leak in single_points_of_failure(view) if leak.harm_kind == "device-exposure"]
    assert (leak.element, leak.modes, leak.reached, leak.operators) == (
        EX + "bucket", (CM + "Misconfiguration",), (OPEN_TO,), ex("cloud", "co"))


def test_a_founding_case_keeps_its_single_hop(case_a_view):
    laptop = next(l for l in single_points_of_failure(case_a_view) if l.element.endswith("#laptop"))
    assert laptop.reached == (FINDER,) and laptop.holdings == ()
    assert [s.role for s in laptop.path] == ["fails", "exposes-what-it-holds"]


def test_the_blast_radius_of_a_person_is_what_their_accounts_open(view_of):
    """Regression: `blast --element "dispatched engineer"` said "exposes 0 people; 0
    principals must report it", although the engineer's administrator account opens the
    customer database (30,000 people)."""
    from chainmodel.blast import blast_radius

    found = blast_radius(view_of(INSIDER), EX + "worker")
    assert found.kind == "party" and found.holders == ex("vendor", "worker")
    assert found.exposure.people.count.low == found.exposure.people.count.high == 30000
    (duty,) = found.duties
    assert duty.principal == EX + "shop" and duty.reportable == "yes"
    assert [(n.sender, n.recipient) for n in duty.notifications][:1] == [(EX + "vendor", EX + "shop")]


def test_the_text_says_what_each_party_reached_holds_when_it_differs(tmp_path):
    """Regression: what each buyer holds was only in the JSON; the text gave the leak's total."""
    from click.testing import CliRunner

    from chainmodel.cli import cli
    from inline import PREFIXES

    model = tmp_path / "insider.ttl"
    model.write_text(PREFIXES + INSIDER, encoding="utf-8")
    output = CliRunner().invoke(cli, ["leaks", str(model), "--all", "--lang", "en"]).output
    block = output[output.index("   what each party reached holds:"):].splitlines()[1:5]
    assert block == ["     - dispatched engineer: 30,000 people", "     - list broker: 30,000 people",
                     "     - buyer 1: 30,000 people", "     - buyer 2: 12,000 people"]
    assert output.count("what each party reached holds") == 1  # not for leaks whose reached all hold the same


def test_a_shared_administrator_account_that_opens_personal_data_is_a_warning(findings_of):
    """cm:sharedAccount was read and used by nothing: a shared account cannot tell who copied the data."""
    shared = INSIDER.replace("cm:administrator true .", "cm:administrator true ; cm:sharedAccount true .")
    (finding,) = findings_of(shared)["shared-account-to-personal-data"]
    assert (finding.severity, finding.focus) == ("warning", ex("admin", "db"))
    assert finding.source == ("APPI Art. 23", "PPC General Guidelines 10 (10-5, 10-6)")
    assert "is shared" in finding.message and "customer database" in finding.message
    assert "shared-account-to-personal-data" not in findings_of(INSIDER)  # one person's own account


def test_the_report_says_what_each_party_reached_holds_when_it_differs(tmp_path):
    """Regression: the report gave only "reaches" and the leak's total, not what buyer 2 holds."""
    from click.testing import CliRunner

    from chainmodel.cli import cli
    from inline import PREFIXES

    model = tmp_path / "insider.ttl"
    model.write_text(PREFIXES + INSIDER, encoding="utf-8")
    for lang, line in (("en", "- what each party reached holds: dispatched engineer (30,000 people), list broker "
                              "(30,000 people), buyer 1 (30,000 people), buyer 2 (12,000 people)"),
                       ("ja", "- 到達先ごとの保有：派遣技術者（30,000人）、名簿業者（30,000人）、購入者1（30,000人）、"
                              "購入者2（12,000人）")):
        out = tmp_path / f"report-{lang}.md"
        result = CliRunner().invoke(cli, ["report", str(model), "-o", str(out), "--lang", lang])
        assert result.exit_code == 0, result.output
        assert out.read_text(encoding="utf-8").count(line) == 1
