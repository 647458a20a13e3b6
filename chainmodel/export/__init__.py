"""Models out to the tools others use: PROV-O + DPV, SARIF 2.1.0, GraphML and DOT."""
