"""Issuing: credentials for one learner or a roster, resumable with a manifest (issuing), JAdES seals
(seal) and the issuer's status lists (status_lists).
"""
