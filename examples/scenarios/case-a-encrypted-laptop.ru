# label: Full-disk encryption on the laptop
# label-ja: ノートパソコンのディスク全体の暗号化
# description: Case A, a what-if in the direction of the Foundation's "stronger technical leak
#   prevention" (FACTS.md, Case A, "Stated cause and remedies"): full-disk encryption with the
#   key kept elsewhere, which on its own rules a leak out when the laptop is lost.

PREFIX cm:   <https://w3id.org/chainmodel#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX a:    <https://example.org/chainmodel/case-a#>

INSERT DATA {
  a:full-disk-encryption a cm:PreventiveControl ;
    rdfs:label "full-disk encryption of the laptop, key kept elsewhere"@en ,
        "ノートパソコンのディスク全体の暗号化（鍵は別管理）"@ja ;
    cm:operatedBy a:foundation ;
    cm:covers a:laptop ;
    cm:rulesOutLeak true .
}
