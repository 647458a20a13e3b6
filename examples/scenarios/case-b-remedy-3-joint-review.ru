# label: Remedy 3: LDI, NTT DATA and J-MIMO jointly review and correct reporting errors
# label-ja: 再発防止策3：LDI・NTTデータ・委託先J-MIMOが共同で手順を見直し、報告誤りを検知・是正
# description: Case B, remedy 3 of the notice of 2025-09-05 (FACTS.md, Case B, "Remedies announced").
#   Consignee LDI and NTT DATA, with consignee J-MIMO, review the rebuilt procedures and detect
#   and correct reporting errors in both monthly reports; errors are brought to consignee
#   J-MIMO, which performs the exclusion, within a month.

PREFIX cm:   <https://w3id.org/chainmodel#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd:  <http://www.w3.org/2001/XMLSchema#>
PREFIX b:    <https://example.org/chainmodel/case-b#>

INSERT DATA {
  b:control-remedy-3-joint-review a cm:DetectiveControl ;
    rdfs:label "joint review of the opt-out reports by LDI, NTT DATA and consignee J-MIMO"@en ,
        "LDI・NTTデータ・委託先J-MIMOによる報告の共同確認"@ja ;
    cm:operatedBy b:consignee-ldi , b:nttdata , b:consignee-jmimo ;
    cm:covers b:h-report-nttdata-ldi , b:h-report-ldi-jmimo ;
    cm:notifies b:consignee-jmimo ;
    cm:detectionLatency "P1M"^^xsd:duration .
}
