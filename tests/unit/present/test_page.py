"""The printable page (mcred.present.page): self-contained, every credential string escaped, a QR code that decodes."""

from __future__ import annotations

import base64
import re
from html.parser import HTMLParser

import pytest

from mcred.elm.builder import PLACEHOLDER_PNG
from mcred.errors import InputError
from mcred.present import page as page_module
from mcred.present.page import CSP, qr_svg, render_page
from mcred.present.view import credential_view
from mcred.verify.digest import credential_digest
from mcred.verify.runner import verify_credential
from tests.conftest import NOW, load_json
from tests.showcase import EXAMPLES, claim, decode_qr_matrix, issue_examples, resigned, stack_of

EXAMPLE = EXAMPLES / "elm-microcredential.signed.json"
SCRIPT_TITLE = "<script>document.title='pwned'</script>"
PNG = base64.b64decode(PLACEHOLDER_PNG)


def page_of(document, lang="en") -> str:
    report = verify_credential(document, now=NOW)
    return render_page(credential_view(document, report, lang=lang, checked_at=NOW))


class Elements(HTMLParser):
    """Every element and attribute of a page, as a browser's parser sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(html: str) -> Elements:
    parser = Elements()
    parser.feed(html)
    return parser


def hostile(document: dict) -> None:
    """Markup in every kind of place a credential puts text."""
    claim(document)["title"] = {"en": SCRIPT_TITLE, "it": SCRIPT_TITLE}
    document["credentialSubject"]["fullName"] = {"it": '"><img src=x onerror=alert(1)>'}
    claim(document)["specifiedBy"]["learningOutcome"][0]["title"]["en"] = "</style><link rel=stylesheet href=//x>"
    document["issuer"]["legalName"]["en"] = "<iframe src='https://evil.example'></iframe>"
    document["displayParameter"]["title"]["en"] = "<base href='https://evil.example/'>"


def test_credential_text_with_html_is_shown_as_text(test_key):
    html = page_of(resigned(EXAMPLE, test_key, hostile))
    parsed = parse(html)
    tags = {tag for tag, _ in parsed.tags}
    assert not tags & {"script", "iframe", "link", "base"}
    for tag, attrs in parsed.tags:
        if tag == "img":   # only the display image, with the attributes mcred writes
            assert set(attrs) == {"class", "alt", "src"} and attrs["src"].startswith("data:image/png;base64,")
    text = "".join(parsed.text)
    assert SCRIPT_TITLE in text                                   # the title, as text
    assert '"><img src=x onerror=alert(1)>' in text
    assert "&lt;script&gt;document.title=&#x27;pwned&#x27;&lt;/script&gt;" in html
    assert "<script" not in html.lower() and "<iframe" not in html.lower() and "<base" not in html.lower()


def test_the_escaping_test_would_catch_a_page_without_escaping(test_key, monkeypatch):
    """Negative control: with escaping switched off, the same checks find the script element."""
    monkeypatch.setattr(page_module, "_e", str)
    html = page_of(resigned(EXAMPLE, test_key, hostile))
    assert "script" in {tag for tag, _ in parse(html).tags}


def outside_references(html: str) -> list[str]:
    """What in a page could load or run something: elements, attributes, CSS that refer outside it."""
    found = []
    for tag, attrs in parse(html).tags:
        if tag in {"script", "link", "iframe", "object", "embed", "base", "a", "form", "video", "audio", "source",
                   "frame", "svg:image", "image", "use"}:
            found.append(f"<{tag}>")
        for name, value in attrs.items():
            if name in ("src", "href", "srcset", "action", "poster", "background", "xlink:href", "data") and not (
                    value or "").startswith("data:image/"):
                found.append(f"{tag} {name}={value}")
            if name.startswith("on"):
                found.append(f"{tag} {name}")
    found += [f"css {match}" for match in re.findall(r"url\(|@import", html)]
    return found


def test_the_reference_finder_finds_references():
    """Negative control for the next test: what it looks for, it finds."""
    bad = ('<img src="http://example.com/x.png"><link rel=stylesheet href="https://fonts.example/a.css">'
           '<div style="background: url(//x)" onclick="x()"></div><svg><use href="#a"/></svg>')
    assert outside_references(bad) == ["img src=http://example.com/x.png", "<link>",
                                       "link href=https://fonts.example/a.css", "div onclick", "<use>",
                                       "use href=#a", "css url("]


def test_the_page_refers_to_nothing_outside_itself(tmp_path, test_key):
    pages = [page_of(load_json(EXAMPLE)), page_of(load_json(EXAMPLE), "it"),
             page_of(load_json(stack_of(issue_examples(tmp_path, test_key), test_key, tmp_path / "s.json")))]
    for html in pages:
        assert outside_references(html) == []
        parsed = parse(html)
        metas = [attrs for tag, attrs in parsed.tags if tag == "meta" and "http-equiv" in attrs]
        assert metas == [{"http-equiv": "Content-Security-Policy", "content": CSP}]
        assert "default-src 'none'" in CSP and "img-src data:" in CSP
        assert "@page { size: A4;" in html


def test_the_display_image_is_a_data_uri_of_its_checked_bytes():
    html = page_of(load_json(EXAMPLE))
    images = [attrs["src"] for tag, attrs in parse(html).tags if tag == "img"]
    assert images == [f"data:image/png;base64,{base64.b64encode(PNG).decode()}"]


def test_no_image_when_the_credential_has_none(test_key):
    def drop(document):
        del document["displayParameter"]
    assert [tag for tag, _ in parse(page_of(resigned(EXAMPLE, test_key, drop))).tags if tag == "img"] == []


def test_the_qr_code_decodes_to_the_id_and_digest():
    document = load_json(EXAMPLE)
    html = page_of(document)
    expected = f"mcred:1 {document['id']} sha256:{credential_digest(document)}"
    import segno

    code = segno.make(expected, error=page_module.QR_ERROR, micro=False, boost_error=False)
    assert decode_qr_matrix(code.matrix) == [expected]
    assert qr_svg(expected) in html                               # the very symbol on the page
    assert document["id"] not in qr_svg(expected)                 # no text of the payload in the SVG
    assert f'--expect-digest &quot;{expected}&quot;' in html      # and the command to check it, as text


def test_another_credential_has_another_qr_code(tmp_path, test_key):
    first = load_json(EXAMPLE)
    second = load_json(issue_examples(tmp_path, test_key)[0])
    view_a = credential_view(first, verify_credential(first, now=NOW))
    view_b = credential_view(second, verify_credential(second, now=NOW))
    assert view_a.qr_text != view_b.qr_text
    assert qr_svg(view_a.qr_text) != qr_svg(view_b.qr_text)


def test_no_page_without_a_digest():
    document = load_json(EXAMPLE)
    document["@context"].append("https://contexts.example/unknown")
    with pytest.raises(InputError) as caught:
        page_of(document)
    assert caught.value.code == "PAGE_NO_DIGEST"
    assert "unknown JSON-LD context" in caught.value.message


@pytest.mark.parametrize("lang,ribbon", [("en", "Verification failed"), ("it", "Verifica non riuscita")])
def test_a_tampered_credential_s_page_says_it_failed(lang, ribbon):
    document = load_json(EXAMPLE)
    claim(document)["specifiedBy"]["creditPoint"][0]["point"] = "20"
    html = page_of(document, lang)
    assert re.search(rf'<header class="ribbon ribbon-failed"><span>[^<]*{ribbon}</span>', html)
    assert "PROOF_SIGNATURE_INVALID" in html


@pytest.mark.parametrize("lang,ribbon,how", [
    ("en", "Signature valid — issuer not checked", "Issuer not checked (no trust list given)."),
    ("it", "Firma valida — emittente non verificato", "Emittente non verificato (nessun elenco di fiducia)."),
])
def test_without_a_trust_list_the_page_is_not_green_and_says_how_to_check(lang, ribbon, how):
    """Negative: a valid signature by an issuer nobody checked gets no green ribbon and no tick; the ribbon says
    what was not checked and how to check it."""
    html = page_of(load_json(EXAMPLE), lang)
    assert re.search(rf'<header class="ribbon ribbon-signed-issuer-unchecked"><span>&#9680; {ribbon}</span>', html)
    assert f'<p class="how">{how}' in html and "--trust TRUST.yaml" in html
    assert "ribbon ribbon-verified" not in html and "&#10004;" not in html
