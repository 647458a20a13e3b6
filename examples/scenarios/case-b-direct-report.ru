# label: NTT DATA also reports opt-outs straight to consignee J-MIMO
# label-ja: NTTデータが委託先J-MIMOにも直接報告
# description: Case B, a what-if that the notice does not announce: besides its monthly report
#   to consignee LDI, NTT DATA sends the same monthly opt-out report straight to consignee
#   J-MIMO, which performs the exclusion. The report no longer has to pass through LDI.

PREFIX cm:   <https://w3id.org/chainmodel#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd:  <http://www.w3.org/2001/XMLSchema#>
PREFIX b:    <https://example.org/chainmodel/case-b#>

INSERT DATA {
  b:h-report-nttdata-jmimo a cm:Report ;
    rdfs:label "NTT DATA's monthly opt-out report straight to consignee J-MIMO"@en ,
        "NTTデータから委託先J-MIMOへの月次の提供停止・削除の求めの直接報告"@ja ;
    cm:sender b:nttdata ;
    cm:receiver b:consignee-jmimo ;
    cm:serves b:duty-optout ;
    cm:cadence "P1M"^^xsd:duration .
}
