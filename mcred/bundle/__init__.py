"""Bundles: one award's renditions in several formats, and the facts each states (issue 19)."""
