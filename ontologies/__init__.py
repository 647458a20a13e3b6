"""The chainmodel ontology, shapes and rules, installed as ``chainmodel.ontologies``."""
