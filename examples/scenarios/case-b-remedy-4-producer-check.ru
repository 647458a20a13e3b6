# label: Remedy 4: producer J-MIMO checks remedies 1-3 on each receipt of medical information
# label-ja: 再発防止策4：認定作成事業者J-MIMOが医療情報の受領の都度、1から3の実施を確認
# description: Case B, remedy 4 of the notice of 2025-09-05 (FACTS.md, Case B, "Remedies announced").
#   Producer J-MIMO checks, whenever it receives medical information, that the reports up the
#   chain were made and checked, before it uses the information.

PREFIX cm:   <https://w3id.org/chainmodel#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd:  <http://www.w3.org/2001/XMLSchema#>
PREFIX b:    <https://example.org/chainmodel/case-b#>

INSERT DATA {
  b:control-remedy-4-producer-check a cm:DetectiveControl ;
    rdfs:label "producer J-MIMO's check on each receipt of medical information"@en ,
        "認定作成事業者J-MIMOによる医療情報受領時の確認"@ja ;
    cm:operatedBy b:producer-jmimo ;
    cm:covers b:h-report-nttdata-ldi , b:h-report-ldi-jmimo ;
    cm:notifies b:producer-jmimo ;
    cm:detectionLatency "P0D"^^xsd:duration .
}
