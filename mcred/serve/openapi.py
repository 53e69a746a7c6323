"""The OpenAPI 3 document of ``mcred serve`` (``GET /openapi.json``), written by hand: it is the contract
the API tests and the fuzz test (tests/serve/) check the service against."""

from __future__ import annotations

from typing import Any

OBJECT = {"type": "object"}


def _problems(*statuses: int) -> dict:
    return {str(status): {"description": _REASONS[status], "content": _json("#/components/schemas/Problem")}
            for status in statuses}


def _json(ref: str) -> dict:
    return {"application/json": {"schema": {"$ref": ref}}}


def _body(ref: str) -> dict:
    return {"required": True, "content": _json(ref)}


_REASONS = {400: "The request (or the credential) cannot be used", 401: "The token is missing or wrong",
            404: "Not found", 409: "The service has no status list for it", 413: "The body is over 1 MB",
            422: "Understood, and refused: not verified, or not signable", 501: "Not available in this mcred",
            503: "The request took too long"}


def openapi_document() -> dict[str, Any]:
    """The OpenAPI 3.0 document (a new dict each time: callers may change it)."""
    common = (400, 401, 413, 503)
    return {
        "openapi": "3.0.3",
        "info": {"title": "mcred VC API", "version": "1",
                 "description": "A local VC API (issue, verify, presentations, status) over mcred, offline."},
        "security": [{"bearer": []}],
        "paths": {
            "/credentials/issue": {"post": {
                "summary": "Sign a credential with the server's key",
                "requestBody": _body("#/components/schemas/IssueRequest"),
                "responses": {"201": {"description": "Signed",
                                      "content": _json("#/components/schemas/IssueResponse")},
                              **_problems(*common, 409, 422, 501)}}},
            "/credentials/verify": {"post": {
                "summary": "Verify a credential (the full mcred report in `report`); an SD-JWT VC or a JWT as an "
                           "EnvelopedVerifiableCredential (its id a data: URL)",
                "requestBody": _body("#/components/schemas/VerifyRequest"),
                "responses": {"200": {"description": "Verified", "content": _json("#/components/schemas/VerifyResult")},
                              "422": {"description": "Not verified",
                                      "content": _json("#/components/schemas/VerifyResult")},
                              **_problems(*common, 501)}}},
            "/presentations/verify": {"post": {
                "summary": "Verify a presentation: the holder's proof, challenge, domain, then each credential",
                "requestBody": _body("#/components/schemas/PresentationVerifyRequest"),
                "responses": {"200": {"description": "Verified", "content": {"application/json": {"schema": OBJECT}}},
                              "422": {"description": "Not verified",
                                      "content": {"application/json": {"schema": OBJECT}}},
                              **_problems(*common, 501)}}},
            "/credentials/status": {"post": {
                "summary": "Revoke, suspend or reinstate a credential this service issued, by its id",
                "requestBody": _body("#/components/schemas/StatusRequest"),
                "responses": {"200": {"description": "Updated", "content": {"application/json": {"schema": OBJECT}}},
                              **_problems(*common, 404, 409, 422)}}},
            "/health": {"get": {"summary": "The service is up", "responses": {
                "200": {"description": "Up", "content": {"application/json": {"schema": OBJECT}}},
                **_problems(401)}}},
            "/openapi.json": {"get": {"summary": "This document", "responses": {
                "200": {"description": "OpenAPI 3", "content": {"application/json": {"schema": OBJECT}}},
                **_problems(401)}}},
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "description": "Required unless the server listens on loopback "
                                           "without --token-file"}},
            "schemas": {
                "IssueRequest": {"type": "object", "required": ["credential"], "properties": {
                    "credential": OBJECT,
                    "options": {"type": "object", "properties": {
                        "created": {"type": "string", "format": "date-time"},
                        "credentialStatus": {"type": "object", "properties": {"type": {"type": "string"}}}}}}},
                "IssueResponse": {"type": "object", "required": ["verifiableCredential"],
                                  "properties": {"verifiableCredential": OBJECT}},
                "VerifyRequest": {"type": "object", "required": ["verifiableCredential"], "properties": {
                    "verifiableCredential": OBJECT,
                    "options": {"type": "object", "properties": {
                        "checks": {"type": "array", "items": {
                            "type": "string", "enum": ["proof", "status", "validity", "issuer", "contexts",
                                                       "jsonld"]}}}}}},
                "VerifyResult": {"type": "object", "required": ["verified", "checks", "warnings", "errors", "report"],
                                 "properties": {
                                     "verified": {"type": "boolean"},
                                     "checks": {"type": "array", "items": {"type": "string"}},
                                     "warnings": {"type": "array", "items": OBJECT},
                                     "errors": {"type": "array", "items": OBJECT},
                                     "report": {"type": "object", "description": "mcred's report (mcred-report/1)"}}},
                "PresentationVerifyRequest": {"type": "object", "required": ["verifiablePresentation"], "properties": {
                    "verifiablePresentation": OBJECT,
                    "options": {"type": "object", "properties": {
                        "challenge": {"type": "string"}, "domain": {"type": "string"},
                        "holderBinding": {"type": "string", "enum": ["warn", "required"]}}}}},
                "StatusRequest": {"type": "object", "required": ["credentialId", "credentialStatus"], "properties": {
                    "credentialId": {"type": "string"},
                    "credentialStatus": {"type": "array", "minItems": 1, "items": {
                        "type": "object", "required": ["status"], "properties": {
                            "type": {"type": "string", "enum": ["BitstringStatusListEntry"]},
                            "status": {"type": "string", "enum": ["revoked", "suspended", "reinstated"]}}}}}},
                "Problem": {"type": "object", "required": ["code", "title", "detail"], "properties": {
                    "code": {"type": "string", "description": "mcred's problem code (docs/verify.md)"},
                    "title": {"type": "string"}, "detail": {"type": "string"},
                    "path": {"type": "string", "description": "the JSON path in the request"},
                    "hint": {"type": "string", "description": "what to do next"}}},
            },
        },
    }
