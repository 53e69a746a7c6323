"""SD-JWT (RFC 9901) and SD-JWT VC: disclosures, the compact form, the disclosed claims, key binding, presenting,
and issuing (the issuer's x5c certificate chain read and checked with :mod:`mcred.seals.x509`).

The format's own rules, without verdicts: :mod:`mcred.verify.sdjwt` turns them into checks, and checks the
issuer's x5c certificate chain to the trust file's anchors. JWS signatures go through :mod:`mcred.keys.jose`
(joserfc), as everywhere in mcred.
"""
