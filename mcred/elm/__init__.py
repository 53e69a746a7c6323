"""The European Learning Model: learning-outcome files, the ELM credential builder, vocabularies, the
EU Council's Annex I and the Italian rules (credits, workload), and lint.
"""
