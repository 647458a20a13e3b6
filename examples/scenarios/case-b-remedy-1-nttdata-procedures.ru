# label: Remedy 1: NTT DATA rebuilds its own reporting procedures
# label-ja: 再発防止策1：NTTデータが報告漏れのないよう業務・管理手順を再構築
# description: Case B, remedy 1 of the notice of 2025-09-05 (FACTS.md, Case B, "Remedies announced").
#   NTT DATA rebuilds its work and management procedures so that no one is left out of
#   reports: a monthly check of its own report to consignee LDI, and a correction sent to
#   consignee LDI when an error is found. It is operated by the organisation that sends the
#   report, so it is not an independent check and cannot remove the single point of failure.

PREFIX cm:   <https://w3id.org/chainmodel#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd:  <http://www.w3.org/2001/XMLSchema#>
PREFIX b:    <https://example.org/chainmodel/case-b#>

INSERT DATA {
  b:control-remedy-1-nttdata-procedures a cm:DetectiveControl ;
    rdfs:label "NTT DATA's rebuilt procedures: monthly check of its own opt-out report"@en ,
        "NTTデータの再構築した手順による自社の提供停止・削除の求めの報告の確認"@ja ;
    cm:operatedBy b:nttdata ;
    cm:covers b:h-report-nttdata-ldi ;
    cm:notifies b:consignee-ldi ;
    cm:detectionLatency "P1M"^^xsd:duration .
}
