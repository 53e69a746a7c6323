"""The bundled contexts: byte-for-byte copies, pinned by digest, served offline only."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from mcred.cli.app import app
from mcred.errors import UnknownContextError
from mcred.jsonld import contexts as bundled
from mcred.jsonld.contexts import document_loader

ROOT = Path(__file__).resolve().parents[3]


def test_index_digests_match_the_files():
    index = json.loads((ROOT / "contexts" / "index.json").read_text())
    assert len(index) == 24
    for url, entry in index.items():
        data = (ROOT / "contexts" / entry["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], url


@pytest.mark.parametrize("url, digest", [
    # digests published by the W3C specifications themselves (contexts/PROVENANCE.md)
    ("https://www.w3.org/ns/credentials/v2",
     "59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734"),
    ("https://w3id.org/security/data-integrity/v2",
     "67f21e6e33a6c14e5ccfd2fc7865f7474fb71a04af7e94136cb399dfac8ae8f4"),
    ("https://w3id.org/security/multikey/v1",
     "ba2c182de2d92f7e47184bcca8fcf0beaee6d3986c527bf664c195bbc7c58597"),
    ("https://www.w3.org/ns/credentials/status/v1",
     "fda5add353231e6a6884a46b12e6c75464281900cb348284d9c360f62381d9f7"),
])
def test_published_digests(url, digest):
    assert hashlib.sha256(bundled.context_bytes(url)).hexdigest() == digest


def test_elm_context_is_bundled():
    document = document_loader("http://data.europa.eu/snb/model/context/edc-ap")["document"]
    assert "EuropeanDigitalCredential" in document["@context"]


@pytest.mark.parametrize("url", [
    # every published context the real-world corpus's credentials cite (contexts/PROVENANCE.md, issue 16)
    "https://purl.imsglobal.org/spec/ob/v3p0/context.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",
    "https://purl.imsglobal.org/spec/clr/v2p0/context.json",
    "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json",
    "https://www.w3.org/ns/credentials/status/v1",
    "https://www.w3.org/2018/credentials/examples/v1",
    "https://www.w3.org/ns/odrl.jsonld",
    "https://w3c-ccg.github.io/vc-ed/plugfest-1-2022/jff-vc-edu-plugfest-1-context.json",
    "https://w3id.org/dcc/v1",
])
def test_the_contexts_real_credentials_use_are_bundled_and_listed_in_provenance(url):
    assert "@context" in document_loader(url)["document"]
    provenance = (ROOT / "contexts" / "PROVENANCE.md").read_text(encoding="utf-8")
    entry = bundled.context_index()[url]
    assert f"| {url} | {entry.file} |" in provenance
    assert entry.sha256 in provenance


def test_unknown_url_is_refused_by_name():
    with pytest.raises(UnknownContextError) as caught:
        document_loader("https://schema.org/")
    assert "https://schema.org/" in str(caught.value)


def test_a_tampered_context_file_is_refused(monkeypatch):
    entry = bundled.context_index()["https://www.w3.org/ns/credentials/v2"]
    monkeypatch.setitem(bundled.context_index(), entry.url,
                        bundled.BundledContext(entry.url, entry.file, "0" * 64))
    with pytest.raises(Exception) as caught:
        bundled.context_bytes(entry.url)
    assert getattr(caught.value, "code", None) == "CONTEXT_DIGEST_MISMATCH"


def test_served_contexts_are_not_mutated_by_processing(alumni, test_key):
    from mcred.proofs.signing import sign_credential

    before = json.loads(bundled.context_bytes("https://www.w3.org/ns/credentials/v2"))
    sign_credential(alumni, test_key)
    assert bundled.context_document("https://www.w3.org/ns/credentials/v2") == before


def test_cli_lists_every_context(runner):
    result = runner.invoke(app, ["contexts", "--format", "json"])
    assert result.exit_code == 0
    listed = {row["url"] for row in json.loads(result.stdout)}
    assert listed == set(bundled.context_index())
    text = runner.invoke(app, ["contexts"]).stdout
    assert "http://data.europa.eu/snb/model/context/edc-ap" in text


def test_no_module_reads_shared_at_run_time():
    for source in (ROOT / "mcred").rglob("*.py"):
        assert "../shared" not in source.read_text(), source.name
