"""The view of a credential (mcred.present.view): what a person is shown, in English and Italian, and from where."""

from __future__ import annotations

import base64
import json

import pytest

from mcred.elm.builder import PLACEHOLDER_PNG
from mcred.present.view import credential_view, display_image
from mcred.verify.batch import load_options
from mcred.verify.runner import verify_credential
from tests.conftest import NOW, load_json
from tests.showcase import EXAMPLES, claim, issue_examples, notes, resigned, rows, stack_of

EXAMPLE = EXAMPLES / "elm-microcredential.signed.json"
PNG = base64.b64decode(PLACEHOLDER_PNG)


def view_of(document, lang="en", options=None):
    report = verify_credential(document, now=NOW, options=options)
    return credential_view(document, report, lang=lang, checked_at=NOW)


def trust_file(tmp_path, did: str):
    path = tmp_path / "trust.yaml"
    path.write_text(f"mcred: trust/1\nissuers:\n  - id: {did}\n    legal_name: {{it: Fondazione fidata, "
                    f"en: Trusted Foundation}}\n    country: ITA\n", encoding="utf-8")
    return str(path)


def test_the_example_in_english():
    view = view_of(load_json(EXAMPLE))
    # no trust list: the signature is valid, but nothing says who the key belongs to (never a plain "Verified")
    assert (view.ribbon, view.ribbon_label, view.outcome) == (
        "signed-issuer-unchecked", "Signature valid — issuer not checked", "verified")
    (note,) = view.ribbon_notes
    assert note == ("Issuer not checked (no trust list given). To check it: mcred verify CREDENTIAL.json "
                    "--trust TRUST.yaml")
    assert view.title == "Data analysis with Python (micro-credential)"
    assert view.kind == "Micro-credential"
    found = rows(view)
    assert found["Name"] == "Giulia Rossi"
    assert found["Date of birth"] == "12 April 2000"
    assert found["Awarding body"] == "ITS Academy Esempio Digitale Foundation"
    assert found["Awarded on"] == "30 June 2026"
    assert found["Credits"] == "2 ECTS (CFU)"
    assert found["Workload"] == "50 hours"
    assert found["EQF level"] == "5"
    assert found["Mode"] == "Blended"
    assert found["Grade"] == "28/30"
    assert found["Assessment"].startswith("Final assessment: project and written test")
    assert "Regional accreditation of the training provider (example)" in found["Accreditation"]
    assert [o.text for o in view.outcomes] == ["Develop digital content (reproducible notebooks and reports)",
                                               "Collaborate in a team on a data-analysis project"]
    assert view.outcomes[0].skills == ("develop digital content",)
    assert view.qr_text == f"mcred:1 {view.credential_id} sha256:{view.digest}"
    assert view.checked_at == "23 November 2026, 12:00 UTC"


def test_the_example_in_italian():
    view = view_of(load_json(EXAMPLE), "it")
    assert view.ribbon_label == "Firma valida — emittente non verificato"
    assert view.ribbon_notes[0].startswith("Emittente non verificato (nessun elenco di fiducia)")
    assert notes(view)["Ente che rilascia"] == "dichiarato dalla credenziale: non verificato (nessun elenco di fiducia)"
    assert view.title == "Analisi dati con Python (micro-credenziale)"
    found = rows(view)
    assert found["Nome"] == "Giulia Rossi"
    assert found["Data di nascita"] == "12 aprile 2000"
    assert found["Ente che rilascia"] == "Fondazione ITS Academy Esempio Digitale"
    assert found["Impegno"] == "50 ore"
    assert found["Modalità"] == "Mista"                       # mcred's Italian label of the EU concept
    assert found["Contesto di apprendimento"] == "apprendimento non formale"
    assert found["Lingua"] == "italiano"
    assert view.outcomes[0].text == "Sviluppare contenuti digitali (notebook e report riproducibili)"
    # the checks' messages are translated, their codes are not
    proof = next(c for c in view.checks if c.check == "proof")
    assert (proof.label, proof.status_label, proof.code) == ("Firma", "OK", "PROOF_OK")
    assert proof.message.startswith("firma eddsa-rdfc-2022 valida")


def test_a_tampered_credential_gets_the_failed_ribbon_and_the_reason():
    document = load_json(EXAMPLE)
    claim = document["credentialSubject"]["hasClaim"][0]
    claim["specifiedBy"]["creditPoint"][0]["point"] = "20"
    view = view_of(document)
    assert (view.ribbon, view.ribbon_label) == ("failed", "Verification failed")
    assert [c.code for c in view.checks if c.status == "failed"] == ["PROOF_SIGNATURE_INVALID"]
    assert rows(view)["Credits"] == "20 ECTS (CFU)"   # shown as it is, under the failed ribbon


def test_an_issuer_not_in_the_trust_list_given_is_named_as_such(tmp_path, test_key):
    """Negative: a trust list was given and the issuer is not in it: say so, naming the file (not "not checked")."""
    document = resigned(EXAMPLE, test_key, lambda d: None)
    trust = trust_file(tmp_path, "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp")
    view = view_of(document, options=load_options(trust, (), False, NOW))
    assert (view.ribbon, view.ribbon_label) == ("issuer-unlisted", "Signature valid — issuer not in your trust list")
    assert [c.code for c in view.checks if c.status == "warning"] == ["TRUST_UNKNOWN_ISSUER"]
    assert notes(view)["Awarding body"] == ("as the credential states it; the issuer is not in your trust list "
                                            f"({trust})")
    (note,) = view.ribbon_notes
    assert note.startswith(f"The issuer is not in your trust list ({trust})") and "mcred trust add" in note
    assert "not checked" not in note
    italian = view_of(document, "it", load_options(trust, (), False, NOW))
    assert italian.ribbon_label == "Firma valida — emittente non presente nel vostro elenco di fiducia"
    assert italian.ribbon_notes[0].startswith(f"L'emittente non è nel vostro elenco di emittenti attendibili ({trust})")


def test_only_an_issuer_of_the_trust_list_given_is_plainly_verified(tmp_path, test_key):
    document = resigned(EXAMPLE, test_key, lambda d: None)
    options = load_options(trust_file(tmp_path, test_key.did), (), False, NOW)
    for lang, label in (("en", "Verified"), ("it", "Verificata")):
        view = view_of(document, lang, options)
        assert (view.ribbon, view.ribbon_label, view.ribbon_notes) == ("verified", label, ())


def test_a_status_entry_without_its_list_is_revocation_not_checked(tmp_path, test_key):
    """Negative: a genuine credential with a status entry and no copy of the list is not "Partially verified":
    it is verified with its revocation not checked, and the page says how to check it."""
    from mcred.elm.builder import elm_status

    list_id = "https://its.example/status/1"
    document = resigned(EXAMPLE, test_key, lambda d: d.__setitem__("credentialStatus", elm_status(list_id, 3)))
    options = load_options(trust_file(tmp_path, test_key.did), (), False, NOW)
    view = view_of(document, options=options)
    assert [c.code for c in view.checks if c.status == "warning"] == ["STATUS_NOT_CHECKED"]
    assert (view.ribbon, view.ribbon_label) == ("revocation-unchecked", "Verified — revocation not checked")
    (note,) = view.ribbon_notes
    assert note.startswith(f"Revocation not checked (no copy of its status list {list_id} given)")
    assert "--status-list LIST.json" in note
    italian = view_of(document, "it", options)
    assert italian.ribbon_label == "Verificata — revoca non controllata"
    assert italian.ribbon_notes[0].startswith("Revoca non controllata") and "--status-list" in italian.ribbon_notes[0]
    # and with no trust list either, both are said
    view = view_of(document)
    assert (view.ribbon, view.ribbon_label) == ("signed-unchecked",
                                                "Signature valid — issuer and revocation not checked")
    assert len(view.ribbon_notes) == 2


def test_the_awarding_body_is_named_from_the_trust_list(tmp_path, test_key):
    document = resigned(EXAMPLE, test_key, lambda d: None)
    options = load_options(trust_file(tmp_path, test_key.did), (), False, NOW)
    for lang, name, note in (("en", "Trusted Foundation", "name from your trust list"),
                             ("it", "Fondazione fidata", "nome dal vostro elenco di emittenti attendibili")):
        view = view_of(document, lang, options)
        body = next(row for s in view.sections for row in s.rows if row.value == name)
        assert body.note.startswith(note)
        assert "ITS Academy Esempio Digitale" in body.note     # what the credential claims stays visible


def test_a_trusted_name_is_not_shown_over_a_broken_signature(tmp_path, test_key):
    """Negative: the trust list names the issuer, but the file was changed: the claim is shown, as a claim."""
    document = resigned(EXAMPLE, test_key, lambda d: None)
    document["issuer"]["legalName"]["en"] = "Forged Foundation"
    for node in document["credentialSubject"]["hasClaim"][0]["awardedBy"]["awardingBody"]:
        node["legalName"]["en"] = "Forged Foundation"
    view = view_of(document, options=load_options(trust_file(tmp_path, test_key.did), (), False, NOW))
    assert view.ribbon == "failed"
    # the organisation is described in two places under one id, and only one was edited: its node in the
    # graph now has both names, and the view shows both
    assert rows(view)["Awarding body"].startswith("Forged Foundation")
    assert notes(view)["Awarding body"] == "as the credential states it; not confirmed by a trust list"
    assert view.ribbon_notes == ()     # a failure says why in its checks
    assert "Trusted Foundation" not in json.dumps([s.rows for s in view.sections], default=str)


def test_a_stack_lists_its_components_with_credits_and_sums(tmp_path, test_key):
    stack = load_json(stack_of(issue_examples(tmp_path, test_key), test_key, tmp_path / "stack.json"))
    view = view_of(stack)
    assert view.ribbon == "signed-issuer-unchecked"
    assert [(c.title, c.cfu, c.hours, c.eqf, c.recognised, c.verified) for c in view.components] == [
        ("Data analysis with Python", "2", "50", "5", "2", True),
        ("SQL and relational databases", "1", "25", "5", "0", True),       # cut by the pathway's cap
        ("Ethics and regulation of artificial intelligence", "3", "75", "6", "3", True),
    ]
    assert (view.totals.cfu, view.totals.hours, view.totals.recognised) == ("6", "150", "5")
    # what the stack is worth beside its hours, each with the rule that relates them; what was recognised apart
    found, why = rows(view), notes(view)
    assert (found["Credits"], why["Credits"]) == ("6 ECTS (CFU)", "the components' total")
    assert (found["Credits received"], why["Credits received"]) == (
        "5 ECTS (CFU)", "within the pathway's caps (see Components)")
    assert (found["Workload"], why["Workload"]) == ("150 hours", "= 6 CFU at 25 hours per CFU")
    italian = view_of(stack, "it")
    assert italian.components[0].awarded == "30 giugno 2026"
    # the stack's note is signed in both languages: the Italian page shows it in Italian
    assert rows(italian)["Nota"].startswith("Crediti riconosciuti all'accesso a un percorso (5 CFU su 6)")
    assert notes(italian)["Impegno"] == "= 6 CFU a 25 ore per CFU"


def test_hours_beside_credits_show_the_rule_and_a_mismatch_is_flagged(test_key):
    """Negative: 2 ECTS beside 150 hours (6 CFU at 25 hours each) is flagged, with the rule that says so."""
    def workload(hours):
        return lambda d: claim(d)["specifiedBy"].__setitem__("volumeOfLearning", hours)

    view = view_of(resigned(EXAMPLE, test_key, workload("PT150H")))
    hours = next(row for s in view.sections for row in s.rows if row.label == "Workload")
    assert hours.flag and hours.note == ("= 6 CFU at 25 hours per CFU: does not agree with the 2 CFU stated, which "
                                         "allow 40 to 60 hours (±20 %)")
    # within the tolerance: the rule is shown, without a flag
    view = view_of(resigned(EXAMPLE, test_key, workload("PT55H")), "it")
    hours = next(row for s in view.sections for row in s.rows if row.label == "Impegno")
    assert not hours.flag
    assert hours.note == "= 2.2 CFU a 25 ore per CFU; i 2 CFU dichiarati ammettono da 40 a 60 ore (±20 %)"


def test_a_stack_whose_signature_fails_shows_components_as_not_checked(tmp_path, test_key):
    stack = load_json(stack_of(issue_examples(tmp_path, test_key), test_key, tmp_path / "stack.json"))
    stack["credentialSubject"]["hasClaim"][0]["title"]["en"] = "Forged pathway"
    view = view_of(stack)
    assert view.ribbon == "failed"
    assert [c.verified for c in view.components] == [None, None, None]
    assert view.totals.recognised == "5"


def test_any_credential_gives_a_view_without_failing(alumni, test_key):
    """A W3C credential that is not ELM, and shapes no credential should have, still give a view."""
    from mcred.proofs.signing import sign_credential

    view = view_of(sign_credential(alumni, test_key, created="2026-01-01T00:00:00Z"))
    assert view.ribbon == "signed-issuer-unchecked" and view.title and view.digest
    from mcred.elm.builder import CONTEXT

    odd = {"@context": CONTEXT, "type": "VerifiableCredential", "credentialSubject": [
        {"hasClaim": {"title": 7, "specifiedBy": {"learningOutcome": ["x", {"title": ["a", {"en": "b"}]}],
                                                  "creditPoint": "2", "volumeOfLearning": "P1Y",
                                                  "eqfLevel": {"notation": "x"}}}}], "issuer": [1]}
    view = view_of(odd)
    assert view.ribbon == "failed"
    assert view.title == "7"
    # {"en": "b"} in a list is a node whose key "en" no context defines, not a language map: only "a" is a title
    assert [o.text for o in view.outcomes] == ["a"]
    assert rows(view)["Workload"] == "P1Y"      # not hours: shown as written
    assert view_of([1, 2]).title == "(untitled credential)"
    # what no context defines means nothing in the graph, so nothing of it is shown
    undefined = {"@context": ["https://www.w3.org/2018/credentials/v1"], "type": "VerifiableCredential",
                 "credentialSubject": {"hasClaim": {"title": "Undefined"}}}
    assert view_of(undefined).title == "(untitled credential)"


def test_no_digest_without_usable_contexts():
    document = load_json(EXAMPLE)
    document["@context"].append("https://contexts.example/unknown")
    view = view_of(document)
    assert view.digest is None and view.qr_text is None
    assert "unknown JSON-LD context" in view.digest_problem
    assert view.outcome == "unusable" and view.ribbon == "failed"


def _with_image(content: bytes | str, file_type: str = "PNG") -> dict:
    document = load_json(EXAMPLE)
    detail = document["displayParameter"]["individualDisplay"][0]["displayDetail"][0]["image"]
    detail["content"] = content if isinstance(content, str) else base64.b64encode(content).decode()
    detail["contentType"]["id"] = f"http://publications.europa.eu/resource/authority/file-type/{file_type}"
    return document


def test_the_display_image_is_embedded_when_it_is_what_it_says():
    image = display_image(_with_image(PNG + b"more"))
    assert image is not None and image.media_type == "image/png"
    assert base64.b64decode(image.base64) == PNG + b"more"
    jpeg = display_image(_with_image(b"\xff\xd8\xff\xe0 a jpeg", "JPEG"))
    assert jpeg is not None and jpeg.media_type == "image/jpeg"


@pytest.mark.parametrize("content,file_type", [
    (b"<svg onload='alert(1)'/>", "SVG"),           # not a whitelisted type
    (b"<svg onload='alert(1)'/>", "PNG"),           # says PNG, is not
    (b"\xff\xd8\xff a jpeg", "PNG"),                # a JPEG labelled PNG
    ("not base64 at all !", "PNG"),
    ("iVBORw0KGgo=\"><script>x</script>", "PNG"),   # base64 with markup after it
    (b"\x89PNG\r\n\x1a\n" + bytes(1024 * 1024), "PNG"),   # over 1 MiB
], ids=["svg", "svg-as-png", "jpeg-as-png", "not-base64", "markup", "too-large"])
def test_a_display_image_that_is_not_what_it_says_is_left_out(content, file_type):
    assert display_image(_with_image(content, file_type)) is None


def test_no_display_image_without_display_parameters():
    document = load_json(EXAMPLE)
    del document["displayParameter"]
    assert display_image(document) is None


_KEYS = ["title", "credentialSubject", "hasClaim", "specifiedBy", "awardedBy", "awardingBody", "legalName",
         "creditPoint", "point", "framework", "volumeOfLearning", "eqfLevel", "learningOutcome", "provenBy", "grade",
         "noteLiteral", "mode", "prefLabel", "displayParameter", "individualDisplay", "displayDetail", "image",
         "content", "contentType", "attachment", "hasPart", "identifier", "schemeName", "issuer", "id", "en", "it",
         "@value", "fullName", "dateOfBirth", "validFrom", "accreditation", "accreditingAgent", "isPartOf"]


def _json_values():
    from hypothesis import strategies as st

    scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20),
                        st.sampled_from(["<script>x</script>", "[bold]x[/bold]", "PT50H", "P1Y", "2026-06-30T00:00:00Z",
                                         "http://data.europa.eu/snb/eqf/9", "iVBORw0KGgo=", "mcred component digest: "
                                         "SHA-256 of the RDFC-1.0 canonical N-Quads, proof included"]))
    return st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                        st.dictionaries(st.sampled_from(_KEYS), inner, max_size=3)),
                        max_leaves=8)


def _containers(node, path=()):
    yield node
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for _, value in items:
        if isinstance(value, (dict, list)):
            yield from _containers(value)


def test_any_shape_gives_a_view_a_page_and_a_terminal_view(monkeypatch):
    """Property: whatever a credential's JSON holds, the view, the page and the terminal view are made."""
    import io

    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
    from rich.console import Console

    from mcred.present import page as page_module
    from mcred.present import view as view_module
    from mcred.present.page import render_page
    from mcred.present.render import print_credential

    original = load_json(EXAMPLE)
    report = verify_credential(original, now=NOW)
    # neither canonicalisation nor QR encoding here (their own tests cover them): the shapes are the point
    monkeypatch.setattr(view_module, "_digest", lambda document: ("ab" * 32, None))
    monkeypatch.setattr(page_module, "qr_svg", lambda text, file=None: "<svg></svg>")

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.data())
    def check(data):
        document = json.loads(json.dumps(original))
        for _ in range(data.draw(st.integers(1, 4))):
            target = data.draw(st.sampled_from(list(_containers(document))))
            value = data.draw(_json_values())
            if isinstance(target, dict):
                target[data.draw(st.sampled_from(_KEYS))] = value
            elif target:
                target[data.draw(st.integers(0, len(target) - 1))] = value
        view = credential_view(document, report, lang=data.draw(st.sampled_from(["en", "it"])), checked_at=NOW)
        assert render_page(view).startswith("<!DOCTYPE html>")
        print_credential(view, Console(file=io.StringIO(), width=100))

    check()
