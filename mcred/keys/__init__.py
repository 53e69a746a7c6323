"""Keys: Ed25519 signing and public keys, key files, multibase and did:key.
"""
