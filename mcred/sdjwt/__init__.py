"""SD-JWT (RFC 9901) and SD-JWT VC: disclosures, the compact form, the disclosed claims, key binding.

The format's own rules, without verdicts: :mod:`mcred.verify.sdjwt` turns them into checks, and checks
the issuer's x5c certificate chain with :mod:`mcred.seals.x509` (a sibling layer, which this package
does not import). JWS signatures go through :mod:`mcred.keys.jose` (joserfc), as everywhere in mcred.
"""
