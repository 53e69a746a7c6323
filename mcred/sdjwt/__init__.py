"""SD-JWT (RFC 9901) and SD-JWT VC: disclosures, issuing, and the issuer's x5c certificates."""
