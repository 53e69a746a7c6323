"""W3C Data Integrity proofs (eddsa-rdfc-2022, eddsa-jcs-2022, Ed25519Signature2020): making and checking
proofs, proof sets and chains (data_integrity), and signing a credential (signing).

A new cryptosuite goes here, one module per suite family.
"""
