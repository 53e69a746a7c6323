"""Bundles: one award in several formats, bound by a manifest the issuer signs, proven to state the same facts."""
