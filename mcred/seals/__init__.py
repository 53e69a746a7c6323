"""Europass seals: JAdES (JWS) parsing and signing, X.509 certificates and chains, ASN.1 (one owner of
asn1crypto), RFC 3161 time-stamps and X.509 trust anchors. No verdicts: mcred.verify.sealed makes them.
"""
