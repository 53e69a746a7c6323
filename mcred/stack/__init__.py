"""Stacking: verified micro-credentials combined into a larger one, with the Italian credit rules and
pathways, each component bound by its digest.
"""
