"""Printing a page to PDF with a headless Chromium, when one is installed (``mcred render --pdf``).

mcred itself opens no connection; the browser is another program, so it is run
as shut off as its flags allow: a throw-away profile, background networking,
updates and sync off, every host name unresolvable (``--host-resolver-rules``)
and every request sent to a proxy on a closed local port (``--proxy-server``,
loopback included). The page's own Content-Security-Policy already forbids any
request; this is a second wall. ``MCRED_CHROMIUM`` names the browser when it is
not on ``PATH`` as one of :data:`BROWSERS`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from mcred.errors import McredError, UsageError

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
INSTALL_HINT = ("install Chromium (Debian/Ubuntu: apt-get install chromium), or set MCRED_CHROMIUM to a "
                "Chromium or Chrome binary; or open the HTML page in a browser and print it")

#: flags that keep the browser off the network and away from the user's profile
ISOLATION_FLAGS = (
    "--headless", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
    "--disable-default-apps", "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=socks5://127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
)


class BrowserError(McredError):
    """The browser ran but did not make the PDF (exit 3)."""

    exit_code = 3
    code = "PDF_FAILED"


def find_browser() -> str | None:
    """The Chromium (or Chrome) to use: ``MCRED_CHROMIUM``, else the first of :data:`BROWSERS` on PATH."""
    named = os.environ.get("MCRED_CHROMIUM")
    if named:
        return shutil.which(named)
    return next((found for found in map(shutil.which, BROWSERS) if found), None)


def require_browser() -> str:
    """The browser, or a usage error (exit 2, ``BROWSER_NOT_FOUND``) that says how to get one."""
    browser = find_browser()
    if browser is None:
        raise UsageError("--pdf needs Chromium, and none was found (looked for "
                         f"{os.environ.get('MCRED_CHROMIUM') or ', '.join(BROWSERS)})",
                         code="BROWSER_NOT_FOUND", hint=INSTALL_HINT)
    return browser


def browser_command(browser: str, profile: Path) -> list[str]:
    """The browser with the isolation flags and a throw-away profile (no sandbox only when run as root)."""
    command = [browser, *ISOLATION_FLAGS, f"--user-data-dir={profile}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--no-sandbox")  # Chromium refuses to start its sandbox as root
    return command


def print_pdf(page_html: str, browser: str, *, timeout: float = 120) -> bytes:
    """The PDF of an HTML page (A4, as the page's ``@page`` rule says), made by ``browser``."""
    with tempfile.TemporaryDirectory(prefix="mcred-pdf-") as folder:
        work = Path(folder)
        page, pdf = work / "page.html", work / "page.pdf"
        page.write_text(page_html, encoding="utf-8")
        command = [*browser_command(browser, work / "profile"), "--no-pdf-header-footer",
                   f"--print-to-pdf={pdf}", page.as_uri()]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise BrowserError(f"{browser} did not print the page: {exc}", params={"detail": str(exc)},
                               hint=INSTALL_HINT) from None
        if not pdf.is_file() or not pdf.read_bytes().startswith(b"%PDF-"):
            detail = (done.stderr.strip().splitlines() or [f"exit code {done.returncode}"])[-1]
            raise BrowserError(f"{browser} did not print the page: {detail}", params={"detail": detail})
        return pdf.read_bytes()
