# label: Remedy 2: LDI checks the measures whenever it accepts and reports requests
# label-ja: 再発防止策2：LDIが受付・報告の都度、対策の実施状況を確認
# description: Case B, remedy 2 of the notice of 2025-09-05 (FACTS.md, Case B, "Remedies announced").
#   Consignee LDI checks, each month, that NTT DATA carried out the opt-out task and that its
#   report to consignee LDI is complete. LDI is another organisation than NTT DATA, so the
#   check is independent of what it covers; it does not cover LDI's own report to J-MIMO.

PREFIX cm:   <https://w3id.org/chainmodel#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd:  <http://www.w3.org/2001/XMLSchema#>
PREFIX b:    <https://example.org/chainmodel/case-b#>

INSERT DATA {
  b:control-remedy-2-ldi-checks a cm:DetectiveControl ;
    rdfs:label "consignee LDI's check of NTT DATA's opt-out handling and report"@en ,
        "委託先LDIによるNTTデータの受付・報告業務の実施状況の確認"@ja ;
    cm:operatedBy b:consignee-ldi ;
    cm:covers b:h-report-nttdata-ldi , b:duty-optout ;
    cm:notifies b:consignee-ldi ;
    cm:detectionLatency "P1M"^^xsd:duration .
}
