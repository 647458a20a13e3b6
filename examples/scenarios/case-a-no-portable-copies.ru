# label: No copies of personal data on portable devices
# label-ja: 可搬機器への個人データの複製を禁止
# description: Case A, the direct cause removed (FACTS.md, Case A, "Stated cause and remedies"):
#   no backup containing personal data is kept on a portable laptop. Both copies on the laptop,
#   and every statement about them, are deleted.

PREFIX a: <https://example.org/chainmodel/case-a#>

DELETE WHERE { a:backup-applicants ?p ?o } ;
DELETE WHERE { ?s ?p a:backup-applicants } ;
DELETE WHERE { a:backup-addresses ?p ?o } ;
DELETE WHERE { ?s ?p a:backup-addresses }
