"""W3C Data Integrity proofs (eddsa-rdfc-2022, eddsa-jcs-2022, Ed25519Signature2020): making and checking
proofs, proof sets and chains (data_integrity), and signing a credential (signing); ecdsa-sd-2023 (ecdsa_sd,
and deriving its proofs: ecdsa_sd_derive).

A new cryptosuite goes here, one module per suite family; a suite verified outside data_integrity registers its
verifier in ``data_integrity.SUITE_VERIFIERS`` when imported, and is imported here, so that every user of
``data_integrity.verify_proof`` has it.
"""

from mcred.proofs import ecdsa_sd  # noqa: F401  (registers ecdsa-sd-2023 with data_integrity)
