"""What the agreements say, checked against the chain below them; the My Number Act (issue 12)."""

from inline import ex, foci

CHAIN = """
ex:p a cm:Organisation ; rdfs:label "principal P"@en .
ex:a a cm:Organisation ; rdfs:label "consignee A"@en ; cm:country "JP" .
ex:b a cm:Organisation ; rdfs:label "re-consignee B"@en ; cm:country "{country}" .
ex:c1 a cm:Consignment ; cm:consignor ex:p ; cm:consignee ex:a ; cm:entrustsData ex:records ; cm:agreement ex:contract .
ex:c2 a cm:Consignment ; cm:consignor ex:a ; cm:consignee ex:b ; cm:extends ex:c1 ; cm:entrustsData ex:records ;
    cm:approval {approval} .
ex:records a cm:DataAsset ; cm:controller ex:p ; cm:subjectCount 10 .
ex:contract a cm:Agreement ; rdfs:label "master services agreement"@en ; cm:clause ex:clause .
"""


def chain(clause: str, approval: str = "cm:Approved", country: str = "JP") -> str:
    return CHAIN.format(approval=approval, country=country) + clause


def test_a_reconsignment_against_a_prohibition_names_the_clause_agreement_and_article(findings_of):
    found = findings_of(chain('ex:clause a cm:ReconsignmentProhibited ; cm:article "Art. 12" .'))
    (finding,) = found["reconsignment-against-prohibition"]
    assert (finding.severity, finding.focus) == ("error", ex("c2", "c1", "clause", "contract"))
    assert '"master services agreement"' in finding.message and "Art. 12" in finding.message
    assert finding.source == ("APPI Art. 25", "the agreement's own clause")
    assert "reconsignment-without-approval" not in found  # the clause decides, no second, weaker finding


def test_notified_but_not_approved_is_not_the_approval_the_agreement_requires(findings_of):
    found = findings_of(chain('ex:clause a cm:ReconsignmentRequiresApproval ; cm:article "Art. 12(2)" .',
                              approval="cm:NotifiedNotApproved"))
    (finding,) = found["reconsignment-without-required-approval"]
    assert finding.severity == "error"
    assert "the consignor was notified but did not approve" in finding.message
    assert finding.message.endswith("Notice is not approval: obtain the consignor's approval before the "
                                    "re-consignment goes on, or end it.")


def test_required_approval_that_is_recorded_is_no_finding(findings_of):
    found = findings_of(chain("ex:clause a cm:ReconsignmentRequiresApproval .", approval="cm:Approved"))
    assert "reconsignment-without-required-approval" not in found


def test_without_a_clause_the_advice_fits_the_approval_state(findings_of):
    notified = findings_of(CHAIN.format(approval="cm:NotifiedNotApproved", country="JP"))
    (finding,) = notified["reconsignment-without-approval"]
    assert finding.severity == "warning"
    assert "the consignor was notified but did not approve (cm:NotifiedNotApproved)" in finding.message
    assert "Notice is not approval" in finding.message
    refused = findings_of(CHAIN.format(approval="cm:NotApproved", country="JP"))
    assert refused["reconsignment-without-approval"][0].message.endswith(
        "Obtain the consignor's approval, or end the re-consignment.")


def test_a_reconsignment_to_a_party_not_on_the_list(findings_of):
    body = chain('ex:clause a cm:ReconsignmentOnlyTo ; cm:permittedParty ex:c ; cm:article "Art. 13" .') + \
        'ex:c a cm:Organisation ; rdfs:label "listed sub-contractor C"@en .'
    (finding,) = findings_of(body)["reconsignment-to-unlisted-party"]
    assert finding.focus == ex("c2", "c1", "clause", "contract")
    assert '"listed sub-contractor C"' in finding.message


def test_a_reconsignment_abroad_against_a_within_country_clause(findings_of):
    clause = 'ex:clause a cm:ReconsignmentWithinCountry ; cm:country "JP" .'
    assert "reconsignment-outside-country" not in findings_of(chain(clause))
    (finding,) = findings_of(chain(clause, country="CN"))["reconsignment-outside-country"]
    assert "(located in CN)" in finding.message and "only within JP" in finding.message


def test_entrusted_data_resting_abroad_anywhere_down_the_chain(findings_of):
    body = chain('ex:clause a cm:DataStaysInCountry ; cm:country "JP" .') + """
    ex:server a cm:Device ; cm:portable false ; cm:heldBy ex:b ; cm:country "SG" .
    ex:k a cm:DataCopy ; cm:copyOf ex:records ; cm:storedOn ex:server .
    """
    (finding,) = findings_of(body)["data-outside-country"]
    assert finding.focus == ex("k", "c1", "clause", "contract")
    assert "rests in SG" in finding.message


def test_data_kept_longer_after_the_end_than_agreed(findings_of):
    body = chain('ex:clause a cm:DeletionWithinPeriod ; cm:period "P30D"^^xsd:duration ; cm:article "Art. 15" .') + """
    ex:c1 cm:endDate "2024-03-31"^^xsd:date .
    ex:k a cm:DataCopy ; cm:copyOf ex:records ; cm:heldBy ex:b ; cm:endDate "{end}"^^xsd:date .
    """
    within = findings_of(body.format(end="2024-04-20"))
    assert "deletion-later-than-agreed" not in within and "data-past-end" not in within
    late = findings_of(body.format(end="2024-06-01"))
    (finding,) = late["deletion-later-than-agreed"]
    assert "by 2024-04-30" in finding.message and "Art. 15" in finding.message
    assert foci(late, "data-past-end") == [ex("k", "c2")]  # B's basis, c2, ends with c1 above it


MY_NUMBER = """
ex:employer a cm:Organisation ; rdfs:label "employer"@en .
ex:payroll a cm:Organisation ; rdfs:label "payroll provider"@en .
ex:print a cm:Organisation ; rdfs:label "print shop"@en .
ex:withholding a cm:DataAsset ; cm:controller ex:employer ; cm:category cm:IndividualNumber .
ex:c1 a cm:Consignment ; cm:consignor ex:employer ; cm:consignee ex:payroll ; cm:entrustsData ex:withholding .
ex:c2 a cm:Consignment ; cm:consignor ex:payroll ; cm:consignee ex:print ; cm:extends ex:c1 ; {approval} .
"""


def test_my_number_work_reconsigned_without_the_first_consignors_permission(findings_of):
    missing = findings_of(MY_NUMBER.format(approval="cm:approval cm:ApprovalNotRecorded"))
    (finding,) = missing["my-number-reconsignment-without-permission"]
    assert (finding.severity, finding.focus, finding.source) == ("error", ex("c2", "employer"), ("My Number Act Art. 10(1)",))
    granted = findings_of(MY_NUMBER.format(approval="cm:approval cm:Approved ; cm:approvedBy ex:employer"))
    assert "my-number-reconsignment-without-permission" not in granted
    wrong = findings_of(MY_NUMBER.format(approval="cm:approval cm:Approved ; cm:approvedBy ex:payroll"))
    assert "not by the party that first consigned" in wrong["my-number-reconsignment-without-permission"][0].message
