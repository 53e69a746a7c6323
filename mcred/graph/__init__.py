"""The signed graph of a credential: nodes and literals read from the expanded form (nodes), mcred's names for
IRIs (terms), a node written out as JSON (tree), and what a credential says (facts).

Every verdict and every view reads these, never a JSON key a holder can move.
"""
