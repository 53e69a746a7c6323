"""JSON-LD, offline: the bundled contexts and their loader, expansion (a fast path, and pyld behind one owner),
safe mode (no term dropped, no IRI relative), RDF, RDFC-1.0 canonicalisation and JCS.

Imports nothing of mcred but the core modules (errors, limits).
"""
