"""``/credentials/status``: the issuer's own lists, updated by credential id, with nothing lost under concurrency."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from mcred.verify.batch import load_options
from mcred.verify.runner import verify_credential

from .conftest import CREDENTIAL_ID, unsigned

ASK = {"credentialStatus": {"type": "BitstringStatusListEntry"}}


@pytest.fixture
def lists_client(make_client, lists):
    return make_client(status_lists=lists)


def _issue(client, key, credential_id=CREDENTIAL_ID) -> dict:
    response = client.post("/credentials/issue", json={"credential": unsigned(key, id=credential_id), "options": ASK})
    assert response.status_code == 201, response.text
    return response.json()["verifiableCredential"]


def _update(client, credential_id, status):
    return client.post("/credentials/status", json={"credentialId": credential_id, "credentialStatus": [
        {"type": "BitstringStatusListEntry", "status": status}]})


def _codes(credential, lists) -> list[str]:
    report = verify_credential(credential, options=load_options(None, tuple(map(str, lists)), False, None))
    return [c.code for c in report.checks if c.check == "status"]


def test_issue_adds_an_entry_in_each_list(lists_client, key, lists):
    credential = _issue(lists_client, key)
    purposes = [entry["statusPurpose"] for entry in credential["credentialStatus"]]
    assert purposes == ["revocation", "suspension"]
    assert _codes(credential, lists) == ["STATUS_ACTIVE", "STATUS_ACTIVE"]


def test_revoke_by_credential_id(lists_client, key, lists):
    credential = _issue(lists_client, key)
    response = _update(lists_client, CREDENTIAL_ID, "revoked")
    assert response.status_code == 200 and response.json()["updated"][0]["changed"] is True
    assert "STATUS_REVOKED" in _codes(credential, lists)


def test_suspend_then_reinstate(lists_client, key, lists):
    credential = _issue(lists_client, key)
    assert _update(lists_client, CREDENTIAL_ID, "suspended").status_code == 200
    assert "STATUS_SUSPENDED" in _codes(credential, lists)
    assert _update(lists_client, CREDENTIAL_ID, "reinstated").status_code == 200
    assert _codes(credential, lists) == ["STATUS_ACTIVE", "STATUS_ACTIVE"]


def test_an_unknown_credential_is_404(lists_client):
    response = _update(lists_client, "urn:uuid:00000000-0000-4000-8000-000000000000", "revoked")
    assert response.status_code == 404 and response.json()["code"] == "SERVE_STATUS_UNKNOWN_CREDENTIAL"


def test_a_credential_issued_without_status_cannot_be_revoked(lists_client, key):
    assert lists_client.post("/credentials/issue", json={"credential": unsigned(key)}).status_code == 201
    assert _update(lists_client, CREDENTIAL_ID, "revoked").status_code == 404


def test_no_list_for_the_purpose_is_409(make_client, key, lists):
    client = make_client(status_lists=lists[:1])  # a revocation list only
    _issue(client, key)
    response = _update(client, CREDENTIAL_ID, "suspended")
    assert response.status_code == 409 and response.json()["code"] == "SERVE_STATUS_NO_LIST"


def test_asking_for_a_status_without_lists_is_409(client, key):
    response = client.post("/credentials/issue", json={"credential": unsigned(key), "options": ASK})
    assert response.status_code == 409 and response.json()["code"] == "SERVE_STATUS_NO_LIST"


def test_a_credential_without_an_id_gets_no_status(lists_client, key):
    credential = unsigned(key)
    del credential["id"]
    response = lists_client.post("/credentials/issue", json={"credential": credential, "options": ASK})
    assert response.status_code == 422 and response.json()["code"] == "SERVE_CREDENTIAL_NO_ID"


def test_a_vc_1_1_credential_gets_no_bitstring_entry(lists_client, key):
    credential = unsigned(key, **{"@context": ["https://www.w3.org/2018/credentials/v1"]})
    response = lists_client.post("/credentials/issue", json={"credential": credential, "options": ASK})
    assert response.status_code == 422 and response.json()["code"] == "SERVE_STATUS_CONTEXT"


@pytest.mark.parametrize("body, path", [
    ({"credentialId": CREDENTIAL_ID}, "$.credentialStatus"),
    ({"credentialId": CREDENTIAL_ID, "credentialStatus": []}, "$.credentialStatus"),
    ({"credentialId": CREDENTIAL_ID, "credentialStatus": [{"status": "deleted"}]}, "$.credentialStatus[0].status"),
    ({"credentialStatus": [{"status": "revoked"}]}, "$.credentialId"),
])
def test_a_malformed_update_is_400(lists_client, body, path):
    response = lists_client.post("/credentials/status", json=body)
    assert response.status_code == 400 and response.json()["path"] == path


def test_a_list_of_another_issuer_is_refused_at_start(tmp_path, lists):
    from mcred.errors import InputError
    from mcred.keys.ed25519 import SigningKey
    from mcred.serve.status import StatusBook

    with pytest.raises(InputError) as caught:
        StatusBook(lists, SigningKey.from_seed(bytes(range(1, 33))))
    assert caught.value.code == "STATUS_LIST_FOREIGN"


def test_concurrent_updates_lose_nothing(lists_client, key, lists):
    """32 credentials revoked by 16 threads at once: every one is revoked in the final list."""
    ids = [f"urn:uuid:6a0b1b0e-1111-4222-8333-{n:012d}" for n in range(32)]
    credentials = [_issue(lists_client, key, credential_id) for credential_id in ids]
    with ThreadPoolExecutor(16) as pool:
        statuses = list(pool.map(lambda i: _update(lists_client, i, "revoked").status_code, ids))
    assert statuses == [200] * 32
    assert all("STATUS_REVOKED" in _codes(credential, lists) for credential in credentials)
    from mcred.issue.status_lists import describe_status_list

    info = describe_status_list(lists[0])
    assert info["verified"] and info["set_count"] == 32
    records = [json.loads(line) for line in (lists[0].parent / "revocation.json.issued").read_text().splitlines()]
    assert sorted(r["id"] for r in records) == sorted(ids)


def test_concurrent_issuing_hands_out_distinct_indexes(lists_client, key):
    ids = [f"urn:uuid:6a0b1b0e-2222-4222-8333-{n:012d}" for n in range(24)]
    with ThreadPoolExecutor(8) as pool:
        credentials = list(pool.map(lambda i: _issue(lists_client, key, i), ids))
    indexes = [c["credentialStatus"][0]["statusListIndex"] for c in credentials]
    assert len(set(indexes)) == 24


def test_verify_checks_the_servers_own_lists(lists_client, key):
    credential = _issue(lists_client, key)
    assert lists_client.post("/credentials/verify", json={"verifiableCredential": credential}).status_code == 200
    assert _update(lists_client, CREDENTIAL_ID, "revoked").status_code == 200
    response = lists_client.post("/credentials/verify", json={"verifiableCredential": credential})
    assert response.status_code == 422 and "STATUS_REVOKED" in [e["type"] for e in response.json()["errors"]]


def test_verify_sees_a_change_made_by_another_worker(lists_client, key, lists):
    from mcred.issue.status_lists import update_status_list

    credential = _issue(lists_client, key)
    assert lists_client.post("/credentials/verify", json={"verifiableCredential": credential}).status_code == 200
    index = int(credential["credentialStatus"][1]["statusListIndex"])
    update_status_list(lists[1], key, [index], "suspend")  # as another process would
    response = lists_client.post("/credentials/verify", json={"verifiableCredential": credential})
    assert "STATUS_SUSPENDED" in [e["type"] for e in response.json()["errors"]]
