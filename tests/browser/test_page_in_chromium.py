"""The rendered pages in a real browser: headless Chromium draws each to PNG, with no network request.

How "no network request" is proven. Chromium runs with every request sent to a
proxy that this test listens on (``--proxy-server``, loopback included), and
writes a NetLog (``--log-net-log``) that records every URL request it starts and
on whose behalf: a page's requests carry the page's origin as initiator
(``null`` for a file), Chromium's own background requests (its clock, account
and search services) carry ``not an origin``. A page passes when the NetLog has
no request made for a page, and every request the proxy received is one of
Chromium's own (a connection that sent no byte, a spare socket Chromium opened
ahead of need, carries none). :func:`test_the_detector_sees_a_page_s_requests` shows that a page
with an ``<img src="http://...">`` and a remote stylesheet is caught by both.

These tests need Chromium (Debian: ``apt-get install chromium``); `make test`
installs it (`.ci/install-browser`). Without it they fail, unless ``MCRED_NO_BROWSER=1`` says to skip them.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from mcred.cli.app import app
from mcred.present import page as page_module
from mcred.present.browser import find_browser
from mcred.verify.digest import credential_digest, credential_id, qr_payload
from tests.conftest import ASSETS, load_json, write_json
from tests.showcase import EXAMPLES, NOW_ARG, SIGNED_EXAMPLES, claim, issue_examples, resigned, stack_of

pytestmark = [pytest.mark.slow, pytest.mark.browser]

SCRIPT_TITLE = "<script>document.title='pwned'</script>"
WINDOW = "--window-size=794,1400"   # A4 is 794 px wide at 96 dpi
EMPTY_CONNECTION = "(closed before a byte was sent)"
#: the European Commission's sample, sealed by EDC with JAdES: shown from its payload, with its seal
SEALED = ASSETS / "jades" / "ec-Sample-MC-Annex1-signed-jades.jsonld"


@pytest.fixture(scope="module")
def chromium() -> str:
    browser = find_browser()
    if browser is None:
        if os.environ.get("MCRED_NO_BROWSER") == "1":
            pytest.skip("MCRED_NO_BROWSER=1: the browser tests are skipped")
        pytest.fail("these tests need Chromium: apt-get install chromium (or set MCRED_CHROMIUM to a Chromium "
                    "binary); set MCRED_NO_BROWSER=1 to skip them on purpose")
    return browser


@dataclass
class Visit:
    """What happened when Chromium opened a page."""

    page_requests: list[str]       # URL requests made on behalf of the page (NetLog)
    browser_hosts: set[str]        # hosts of Chromium's own requests (NetLog: initiator "not an origin")
    proxied: list[str]             # the first line of every connection the proxy received
    stdout: str

    @property
    def unexplained(self) -> list[str]:
        """Requests to the proxy that were not Chromium's own.

        A connection closed before its first byte carries no request: Chromium
        opens spare sockets to its proxy ahead of need and drops the unused ones.
        """
        return [line for line in self.proxied if line != EMPTY_CONNECTION and _host(line) not in self.browser_hosts]


def _host(line: str) -> str:
    """The host of a proxy request line: ``CONNECT host:443 ...`` or ``GET http://host/path ...``."""
    target = line.split(" ")[1] if " " in line else line
    target = re.sub(r"^[a-z]+://", "", target)
    return re.split(r"[:/]", target, maxsplit=1)[0]


class Proxy:
    """A TCP listener that records the first line of every connection, then closes it (answering nothing).

    Each connection is read until its first bytes arrive, the client closes it,
    or the run is over (Chromium has exited): a connection that carried no byte
    carried no request. Connections still waiting to be accepted at the end are
    read too.
    """

    def __init__(self) -> None:
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(128)
        self.server.settimeout(0.1)
        self.port = self.server.getsockname()[1]
        self.lines: list[str] = []
        self._readers: list[threading.Thread] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.server.accept()
            except OSError:
                continue
            self._start_reading(connection)

    def _start_reading(self, connection: socket.socket) -> None:
        reader = threading.Thread(target=self._read, args=(connection,), daemon=True)
        reader.start()
        self._readers.append(reader)

    def _read(self, connection: socket.socket) -> None:
        with connection:
            connection.settimeout(0.1)
            data = None
            while data is None:
                try:
                    data = connection.recv(4096)  # b"" once the client has closed it
                except TimeoutError:
                    if self._stop.is_set():  # Chromium has exited and sent nothing here
                        data = b""
                except OSError:
                    data = b""
        self.lines.append(data.split(b"\r\n", 1)[0].decode("latin-1") if data else EMPTY_CONNECTION)

    def __enter__(self) -> Proxy:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.server.setblocking(False)
        while True:  # connections made but not yet accepted
            try:
                self._start_reading(self.server.accept()[0])
            except OSError:
                break
        for reader in self._readers:
            reader.join(timeout=10)
        self.server.close()


def _netlog(path: Path) -> tuple[list[str], set[str]]:
    text = path.read_text(encoding="utf-8")
    try:
        log = json.loads(text)
    except json.JSONDecodeError:      # a log cut short: close it
        log = json.loads(text.rstrip().rstrip(",") + "]}")
    names = {number: name for name, number in log["constants"]["logEventTypes"].items()}
    page, browser = [], set()
    for event in log["events"]:
        params = event.get("params") or {}
        if names.get(event["type"]) != "URL_REQUEST_START_JOB" or "url" not in params:
            continue
        if params.get("initiator") == "not an origin":
            browser.add(_host(params["url"]))
        else:
            page.append(params["url"])
    return page, browser


def visit(browser: str, page: Path, tmp_path: Path, *action: str) -> Visit:
    """Open ``page`` in headless Chromium behind the recording proxy, with a NetLog, doing ``action``."""
    profile, netlog = tmp_path / "profile", tmp_path / "netlog.json"
    with Proxy() as proxy:
        command = [browser, "--headless", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                   f"--user-data-dir={profile}", f"--proxy-server=http://127.0.0.1:{proxy.port}",
                   "--proxy-bypass-list=<-loopback>", f"--log-net-log={netlog}", "--net-log-capture-mode=Default",
                   "--virtual-time-budget=3000", *action, page.resolve().as_uri()]
        if os.geteuid() == 0:
            command.append("--no-sandbox")
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    page_requests, browser_hosts = _netlog(netlog)
    return Visit(page_requests, browser_hosts, proxy.lines, done.stdout)


def screenshot(browser: str, page: Path, tmp_path: Path) -> tuple[Path, Visit]:
    png = tmp_path / f"{page.stem}.png"
    seen = visit(browser, page, tmp_path, f"--screenshot={png}", WINDOW)
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    return png, seen


def decode_qr(png: Path) -> list[str]:
    import zxingcpp
    from PIL import Image

    with Image.open(png) as image:
        return [barcode.text for barcode in zxingcpp.read_barcodes(image.convert("L"))]


def render(runner, credential: Path, out: Path, *args: str) -> Path:
    result = runner.invoke(app, ["render", str(credential), "--out", str(out), *NOW_ARG, *args])
    assert result.exit_code in (0, 1), result.output
    return out


def pages_to_check(runner, tmp_path: Path, key) -> list[tuple[Path, Path]]:
    """(credential, page) for each example credential, the examples issued to Giulia, their stack, the EC's sealed
    sample."""
    issued = issue_examples(tmp_path, key)
    stack = stack_of(issued, key, tmp_path / "stack.json")
    credentials = [*SIGNED_EXAMPLES, EXAMPLES / "elm-microcredential.json", *issued, stack, SEALED]
    return [(c, render(runner, c, tmp_path / f"{c.stem}-{i}.html", "--lang", ("en", "it")[i % 2]))
            for i, c in enumerate(credentials)]


def test_every_example_page_draws_with_no_network_request(chromium, runner, tmp_path, test_key):
    for credential, page in pages_to_check(runner, tmp_path, test_key):
        png, seen = screenshot(chromium, page, tmp_path)
        assert seen.page_requests == [], (page.name, seen.page_requests)
        assert seen.unexplained == [], (page.name, seen.unexplained)
        assert png.stat().st_size > 20_000, page.name         # a drawn page, not a blank one
        # the QR code in the drawn page decodes to the credential's id and digest (a sealed file's: its payload's
        # id, the digest of what its seal signs)
        document = load_json(credential)
        assert decode_qr(png) == [qr_payload(credential_id(document), credential_digest(document))], page.name


def test_the_proxy_reads_each_connection_to_its_first_line_or_to_nothing(monkeypatch):
    monkeypatch.undo()  # lift the suite's no-network guard: this test is the client, on loopback, and no mcred runs
    with Proxy() as proxy:
        talker = socket.create_connection(("127.0.0.1", proxy.port))
        talker.sendall(b"GET http://a.example/x HTTP/1.1\r\nHost: a.example\r\n\r\n")
        silent = socket.create_connection(("127.0.0.1", proxy.port))   # open, and never a byte
        socket.create_connection(("127.0.0.1", proxy.port)).close()    # closed at once
        time.sleep(0.3)
    talker.close()
    silent.close()
    assert sorted(proxy.lines) == sorted(["GET http://a.example/x HTTP/1.1", EMPTY_CONNECTION, EMPTY_CONNECTION])


def test_only_an_empty_connection_is_excused():
    """A spare socket Chromium never used is not a request; any line that names a host not Chromium's own is."""
    seen = Visit([], {"clients2.google.com"},
                 [EMPTY_CONNECTION, "CONNECT clients2.google.com:443 HTTP/1.1", "GET http://x.example/ HTTP/1.1",
                  "CONNECT fonts.example:443 HTTP/1.1"], "")
    assert seen.unexplained == ["GET http://x.example/ HTTP/1.1", "CONNECT fonts.example:443 HTTP/1.1"]


def test_the_detector_sees_a_page_s_requests(chromium, tmp_path):
    """Negative: a page that loads an image and a stylesheet from the network is caught, twice."""
    page = tmp_path / "leaky.html"
    page.write_text('<!DOCTYPE html><html><head><link rel="stylesheet" href="https://fonts.example/a.css"></head>'
                    '<body><img src="http://images.example/logo.png"></body></html>', encoding="utf-8")
    _, seen = screenshot(chromium, page, tmp_path)
    assert sorted(seen.page_requests) == ["http://images.example/logo.png", "https://fonts.example/a.css"]
    assert sorted(map(_host, seen.unexplained)) == ["fonts.example", "images.example"]


def test_the_csp_stops_a_request_even_if_a_page_had_one(chromium, tmp_path):
    """mcred's Content-Security-Policy on a page that asks for a remote image: the browser makes no request."""
    page = tmp_path / "blocked.html"
    page.write_text(f'<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" '
                    f'content="{page_module.CSP}"></head><body><img src="http://images.example/logo.png">'
                    '</body></html>', encoding="utf-8")
    _, seen = screenshot(chromium, page, tmp_path)
    assert seen.page_requests == [] and seen.unexplained == []


def _script_credential(tmp_path: Path, key) -> Path:
    def script_title(document):
        claim(document)["title"] = {"en": SCRIPT_TITLE, "it": SCRIPT_TITLE}
    return write_json(tmp_path / "script.json", resigned(EXAMPLES / "elm-microcredential.signed.json", key,
                                                         script_title))


def test_a_script_in_a_title_shows_as_text(chromium, runner, tmp_path, test_key):
    page = render(runner, _script_credential(tmp_path, test_key), tmp_path / "script.html", "--lang", "en")
    dom = visit(chromium, page, tmp_path, "--dump-dom").stdout
    assert "<script" not in dom.lower()
    assert "&lt;script&gt;document.title='pwned'&lt;/script&gt;" in dom       # in <title> and <h1>, as text
    assert re.search(r"<title>&lt;script&gt;document\.title='pwned'&lt;/script&gt; — Giulia Rossi</title>", dom)
    png, seen = screenshot(chromium, page, tmp_path)
    assert seen.page_requests == [] and decode_qr(png)


def test_the_script_test_would_see_an_unescaped_page(chromium, runner, tmp_path, test_key, monkeypatch):
    """Negative control: the same page made without escaping has a script element in its DOM."""
    monkeypatch.setattr(page_module, "_e", str)
    page = render(runner, _script_credential(tmp_path, test_key), tmp_path / "unescaped.html", "--lang", "en")
    dom = visit(chromium, page, tmp_path, "--dump-dom").stdout
    assert "<script>document.title='pwned'</script>" in dom


def test_render_pdf_prints_one_a4_page(chromium, runner, tmp_path, test_key):
    stack = stack_of(issue_examples(tmp_path, test_key), test_key, tmp_path / "stack.json")
    for credential in (SIGNED_EXAMPLES[0], stack, SEALED):
        pdf = tmp_path / f"{credential.stem}.pdf"
        result = runner.invoke(app, ["render", str(credential), "--pdf", str(pdf), "--lang", "it", *NOW_ARG],
                               env={"MCRED_CHROMIUM": chromium})
        assert result.exit_code == 0, result.output
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF-")
        assert len(re.findall(rb"/Type\s*/Page[^s]", data)) == 1, credential.name
        # A4 is 595 x 842 points
        assert re.search(rb"/MediaBox\s*\[\s*0 0 59[45](\.\d+)? 84[12](\.\d+)?\s*\]", data), credential.name
