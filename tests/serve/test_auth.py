"""The token: required beyond the loopback interface, on every request, compared in constant time; the key
never leaves the server."""

from __future__ import annotations

import pytest

from mcred.errors import McredError
from mcred.serve.config import ServeConfig, check_bind, is_loopback, read_token, token_matches

from .conftest import unsigned

TOKEN = "t" * 40


@pytest.fixture
def guarded(make_client):
    return make_client(token=TOKEN)


@pytest.mark.parametrize("path", ["/health", "/openapi.json"])
def test_every_request_needs_the_token(guarded, path):
    response = guarded.get(path)
    assert response.status_code == 401 and response.json()["code"] == "SERVE_UNAUTHORIZED"
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_a_wrong_token_is_401_even_on_a_post(guarded, key):
    response = guarded.post("/credentials/issue", json={"credential": unsigned(key)},
                            headers={"Authorization": "Bearer " + "t" * 39 + "u"})
    assert response.status_code == 401


def test_the_right_token_is_let_through(guarded):
    assert guarded.get("/health", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200


def test_unknown_paths_need_the_token_too(guarded):
    assert guarded.get("/nowhere").status_code == 401


def test_token_matches_needs_the_bearer_scheme():
    assert token_matches(TOKEN, f"Bearer {TOKEN}")
    assert not token_matches(TOKEN, TOKEN)
    assert not token_matches(TOKEN, f"Basic {TOKEN}")
    assert not token_matches(TOKEN, None)
    assert not token_matches(TOKEN, "Bearer ñ" + TOKEN)


def test_the_comparison_is_constant_time(monkeypatch):
    import hmac

    from mcred.serve import config

    calls, original = [], hmac.compare_digest
    monkeypatch.setattr(config.hmac, "compare_digest", lambda a, b: calls.append((a, b)) or original(a, b))
    token_matches(TOKEN, f"Bearer {TOKEN}")
    assert calls == [(TOKEN.encode(), TOKEN.encode())]


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "::", "example.org"])
def test_any_host_but_loopback_needs_a_token(host):
    with pytest.raises(McredError) as caught:
        check_bind(host, None)
    assert caught.value.code == "SERVE_BIND_NOT_LOOPBACK" and caught.value.exit_code == 2
    check_bind(host, TOKEN)  # with a token it may


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "localhost"])
def test_loopback_needs_no_token(host):
    assert is_loopback(host)
    check_bind(host, None)


@pytest.mark.parametrize("text", ["", "short\n", "x" * 31, "has a space" + "x" * 30])
def test_a_weak_token_file_is_refused(tmp_path, text):
    path = tmp_path / "token"
    path.write_text(text)
    with pytest.raises(McredError) as caught:
        read_token(path)
    assert caught.value.code == "SERVE_TOKEN_INVALID"


def test_a_token_file_is_read_without_its_newline(tmp_path):
    path = tmp_path / "token"
    path.write_text(TOKEN + "\n")
    assert read_token(path) == TOKEN


def test_the_config_repr_hides_the_key_and_the_token(key):
    text = repr(ServeConfig(key=key, token=TOKEN))
    assert TOKEN not in text and repr(key) not in text and " key=" not in text and "token=" not in text
