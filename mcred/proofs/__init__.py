"""W3C Data Integrity proofs (eddsa-rdfc-2022, eddsa-jcs-2022, Ed25519Signature2020): making and checking
proofs, proof sets and chains (data_integrity), and signing a credential (signing); ecdsa-sd-2023 (ecdsa_sd,
and deriving its proofs: ecdsa_sd_derive).

A new cryptosuite goes here, one module per suite family; a suite verified outside data_integrity registers its
verifier in ``data_integrity.SUITE_VERIFIERS`` when imported, and is named in ``data_integrity.SUITE_MODULES``,
so that ``data_integrity.verify_proof`` imports it the first time it meets one of its proofs.
"""
