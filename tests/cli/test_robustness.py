"""No input makes mcred exit 4 (internal error): outputs that are folders, inputs that are not files, numbers
Python cannot hold, a closed standard output, killed parents, secrets typed where a name goes, public keys."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from importlib.metadata import version
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from mcred.cli.app import app
from mcred.keys.ed25519 import SigningKey, save_signing_key
from tests.conftest import TEST_SEED, write_json

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
PATHWAY = EXAMPLES / "stack" / "pathway-its-to-university.yaml"
NOW = ["--now", "2026-11-23T12:00:00Z"]
ISSUED = "2026-09-30T10:00:00Z"
HUGE_NUMBER = "9" * 5000  # over Python's 4,300-digit limit for int(): json.loads raises ValueError
SECRET = "Segreteria-2026!"


def mcred(runner, *args, **kwargs):
    return runner.invoke(app, [str(a) for a in args], **kwargs)


def assert_clear_error(result, exit_code: int, *words: str) -> None:
    """Exit 2 or 3 with an `error:` line that says what; never an internal error."""
    assert result.exit_code == exit_code, result.output
    assert "internal error" not in result.output
    assert "error:" in result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


@pytest.fixture
def key_file(tmp_path):
    path = tmp_path / "issuer.pem"
    save_signing_key(SigningKey.from_seed(TEST_SEED), path)
    return path


@pytest.fixture
def credentials(runner, tmp_path, key_file) -> list[Path]:
    """Giulia's three example credentials, issued and signed."""
    paths = []
    for course in ("its-python-data", "its-sql-databases", "unito-short-course"):
        out = tmp_path / f"{course}.json"
        result = mcred(runner, "issue", EXAMPLES / f"{course}.yaml", "--key", key_file, "--out", out,
                       "--issued", ISSUED)
        assert result.exit_code == 0, result.output
        paths.append(out)
    return paths


@pytest.fixture
def batch(runner, tmp_path, key_file) -> Path:
    """A folder as `mcred issue --learners` leaves it: three credentials and manifest.json."""
    out_dir = tmp_path / "out"
    result = mcred(runner, "issue", EXAMPLES / "unito-short-course.yaml", "--key", key_file, "--learners",
                   EXAMPLES / "roster.csv", "--out-dir", out_dir, "--issued", ISSUED)
    assert result.exit_code == 0, result.output
    assert (out_dir / "manifest.json").is_file()
    return out_dir


# --- an existing folder given as --out, a file given as --out-dir ---------------------------------------


@pytest.mark.parametrize("force", [[], ["--force"]], ids=["", "force"])
@pytest.mark.parametrize("command", ["keygen", "sign", "render", "render-pdf", "stack", "issue"])
def test_a_folder_as_out_is_a_usage_error_naming_it(runner, tmp_path, key_file, credentials, command, force):
    folder = tmp_path / "folder"
    folder.mkdir()
    args = {
        "keygen": ["keygen", "--out", folder],
        "sign": ["sign", EXAMPLES / "elm-microcredential.json", "--key", key_file, "--issuer-from-key",
                 "--out", folder],
        "render": ["render", credentials[0], "--out", folder, *NOW],
        "render-pdf": ["render", credentials[0], "--out", tmp_path / "page.html", "--pdf", folder, *NOW],
        "stack": ["stack", *credentials, "--target", PATHWAY, "--key", key_file, "--out", folder, *NOW],
        "issue": ["issue", EXAMPLES / "its-python-data.yaml", "--key", key_file, "--out", folder],
    }[command]
    result = mcred(runner, *args, *force)
    assert_clear_error(result, 2, f"{folder}: is a folder; give a file name")
    assert list(folder.iterdir()) == []
    assert not (tmp_path / "page.html").exists()  # refused before the HTML is written


@pytest.mark.parametrize("below", ["", "sub"])
def test_a_file_as_issue_out_dir_is_a_usage_error_naming_it(runner, tmp_path, key_file, below):
    file = tmp_path / "out"
    file.write_text("not a folder")
    result = mcred(runner, "issue", EXAMPLES / "unito-short-course.yaml", "--key", key_file, "--learners",
                   EXAMPLES / "roster.csv", "--out-dir", file / below if below else file)
    assert_clear_error(result, 2, f"{file}: is a file, not a folder")
    assert file.read_text() == "not a folder"


# --- inputs that are not regular files ------------------------------------------------------------------


def test_a_fifo_as_input_is_refused_not_waited_for(runner, tmp_path, key_file):
    fifo = tmp_path / "credential.json"
    os.mkfifo(fifo)
    for args in (["sign", fifo, "--key", key_file, "--out", tmp_path / "signed.json"],
                 ["issue", fifo, "--key", key_file, "--out", tmp_path / "issued.json"],
                 ["sign", EXAMPLES / "elm-microcredential.json", "--key", fifo, "--out", tmp_path / "s.json"]):
        result = mcred(runner, *args)
        assert_clear_error(result, 3, f"{fifo}", "is a named pipe (FIFO), not a regular file")


def test_a_fifo_in_a_verify_batch_is_counted_and_the_batch_goes_on(runner, tmp_path, credentials):
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    result = mcred(runner, "verify", fifo, credentials[0], "--format", "json", *NOW)
    assert result.exit_code == 3, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines[0]["checks"][0]["code"] == "FILE_NOT_REGULAR"
    assert lines[1]["outcome"] == "verified"
    assert lines[-1]["outcomes"] == {"unusable": 1, "verified": 1}


# --- numbers Python cannot hold ---------------------------------------------------------------------------


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_5000_digit_number_is_one_unusable_file_in_a_verify_batch(runner, tmp_path, batch, jobs):
    (batch / "huge.json").write_text('{"n": ' + HUGE_NUMBER + "}", encoding="utf-8")
    text = mcred(runner, "verify", batch, "--jobs", jobs, *NOW)
    assert text.exit_code == 3, text.output
    assert "internal error" not in text.output
    assert "UNUSABLE INPUT" in text.stdout and "JSON_TOO_COMPLEX" in text.stdout
    assert "4 files: 1 unusable input, 3 verified" in text.stdout
    as_json = mcred(runner, "verify", batch, "--jobs", jobs, "--format", "json", *NOW)
    lines = [json.loads(line) for line in as_json.stdout.splitlines()]
    huge = next(line for line in lines if line.get("file") == str(batch / "huge.json"))
    assert huge["checks"][0]["code"] == "JSON_TOO_COMPLEX"
    assert lines[-1]["outcomes"] == {"unusable": 1, "verified": 3}
    assert lines[-1]["problems"] == {"JSON_TOO_COMPLEX": 1}


@pytest.mark.parametrize("name, content, reason", [
    ("trust.json", '{"mcred": "trust/1", "issuers": [{"id": ' + HUGE_NUMBER + "}]}",
     "a number has more than 4300 digits"),
    ("trust.yaml", "mcred: trust/1\nissuers:\n  - id: " + HUGE_NUMBER + "\n",
     "a number of 5,000 digits (mcred reads whole numbers of up to 100 digits) (line 3)"),
])
def test_a_5000_digit_number_in_a_trust_file_is_an_input_error_naming_it(runner, tmp_path, credentials, name,
                                                                        content, reason):
    trust = tmp_path / name
    trust.write_text(content, encoding="utf-8")
    result = mcred(runner, "verify", credentials[0], "--trust", trust, *NOW)
    assert_clear_error(result, 3, str(trust), reason)


def test_a_5000_digit_number_in_a_credential_to_sign_is_an_input_error(runner, tmp_path, key_file):
    path = tmp_path / "huge.json"
    path.write_text('{"n": ' + HUGE_NUMBER + "}", encoding="utf-8")
    result = mcred(runner, "sign", path, "--key", key_file, "--out", tmp_path / "signed.json")
    assert_clear_error(result, 3, str(path), "a number has more than 4300 digits")


# --- mcred's manifest and the summary line ------------------------------------------------------------


def test_verify_by_glob_skips_the_manifest_and_says_so(runner, batch):
    files = sorted(batch.glob("*.json"))  # what the shell makes of out/*.json
    assert batch / "manifest.json" in files
    result = mcred(runner, "verify", *files, *NOW)
    assert result.exit_code == 0, result.output
    assert f"skipped {batch / 'manifest.json'}: the manifest written by `mcred issue`" in result.stderr
    assert result.stdout.count("SIGNATURE VALID, ISSUER NOT CHECKED") == 3 and "manifest.json" not in result.stdout


def test_verify_of_the_folder_skips_the_manifest_and_says_so(runner, batch):
    result = mcred(runner, "verify", batch, "--format", "json", *NOW)
    assert result.exit_code == 0, result.output
    assert "skipped" in result.stderr and "manifest.json" in result.stderr
    assert json.loads(result.stdout.splitlines()[-1])["files"] == 3


def test_a_credential_named_manifest_json_is_verified_not_skipped(runner, tmp_path, credentials):
    named = tmp_path / "manifest.json"
    named.write_bytes(credentials[0].read_bytes())
    result = mcred(runner, "verify", named, *NOW)
    assert result.exit_code == 0, result.output
    assert "skipped" not in result.stderr and "SIGNATURE VALID" in result.stdout


def test_the_manifest_alone_is_a_usage_error(runner, batch):
    result = mcred(runner, "verify", batch / "manifest.json")
    assert_clear_error(result, 2, "there is no credential to verify")


@pytest.mark.parametrize("one", ["file", "folder of one"])
def test_json_output_always_ends_with_the_summary(runner, tmp_path, credentials, one):
    target = credentials[0]
    if one == "folder of one":
        target = tmp_path / "one"
        target.mkdir()
        (target / "c.json").write_bytes(credentials[0].read_bytes())
    result = mcred(runner, "verify", target, "--format", "json", *NOW)
    assert result.exit_code == 0, result.output
    report, summary = (json.loads(line) for line in result.stdout.splitlines())
    assert report["format"] == "mcred-report/1" and report["outcome"] == "verified"
    assert summary == {"format": "mcred-summary/1", "files": 1, "exit_code": 0, "outcomes": {"verified": 1},
                       "problems": {}}


# --- a closed standard output ---------------------------------------------------------------------------


def run_mcred(*args, **kwargs) -> subprocess.CompletedProcess:
    """The console script's entry point (mcred.cli.app:main) in a process of its own."""
    code = "import sys; from mcred.cli.app import main; sys.argv[0] = 'mcred'; main()"
    return subprocess.run([sys.executable, "-c", code, *map(str, args)], cwd=ROOT, **kwargs)


def test_a_closed_pipe_ends_quietly_with_the_verdict_s_exit_code(tmp_path, credentials):
    """`mcred verify --format json a.json b.json | head -1`, with the reader gone before the first line."""
    tampered = json.loads(credentials[1].read_text(encoding="utf-8"))
    tampered["credentialSubject"]["givenName"] = {"it": "Mallory"}
    forged = write_json(tmp_path / "forged.json", tampered)
    for files, verdict in (([credentials[0], credentials[2]], 0), ([credentials[0], forged], 1)):
        for output in (["--format", "json"], []):
            reader, writer = os.pipe()
            os.close(reader)
            try:
                result = run_mcred("verify", *output, *files, *NOW, stdout=writer, stderr=subprocess.PIPE,
                                   text=True, timeout=300)
            finally:
                os.close(writer)
            assert result.returncode == verdict, result.stderr
            assert "Traceback" not in result.stderr and "internal error" not in result.stderr
            assert "BrokenPipe" not in result.stderr and "Exception ignored" not in result.stderr


def test_version_prints_the_installed_version(runner):
    result = mcred(runner, "--version")
    assert result.exit_code == 0
    assert result.stdout == f"mcred {version('mcred')}\n"


# --- secrets and keys ---------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["keygen", "sign", "issue", "key-info"])
def test_a_passphrase_typed_as_the_variable_name_is_never_echoed(runner, tmp_path, key_file, command):
    args = {
        "keygen": ["keygen", "--out", tmp_path / "new.pem"],
        "sign": ["sign", EXAMPLES / "elm-microcredential.json", "--key", key_file, "--out", tmp_path / "s.json"],
        "issue": ["issue", EXAMPLES / "its-python-data.yaml", "--key", key_file, "--out", tmp_path / "i.json"],
        "key-info": ["key-info", key_file],
    }[command]
    result = mcred(runner, *args, "--passphrase-env", SECRET)
    assert_clear_error(result, 2, "--passphrase-env is not an environment variable name")
    assert SECRET not in result.stdout and SECRET not in result.stderr
    assert "Segreteria" not in result.output
    assert not (tmp_path / "new.pem").exists()


def test_a_variable_name_is_still_accepted(runner, tmp_path):
    result = mcred(runner, "keygen", "--out", tmp_path / "new.pem", "--passphrase-env", "MCRED_PASS_2026",
                   env={"MCRED_PASS_2026": SECRET})
    assert result.exit_code == 0, result.output
    assert (tmp_path / "new.pem").read_bytes().startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")


@pytest.mark.parametrize("form", ["pem", "multikey"])
def test_a_public_key_as_key_says_so_and_points_to_keygen(runner, tmp_path, form):
    key = SigningKey.from_seed(TEST_SEED)
    public = tmp_path / f"issuer.pub.{form}"
    if form == "pem":
        public.write_bytes(Ed25519PrivateKey.from_private_bytes(TEST_SEED).public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    else:
        write_json(public, {"type": "Multikey", "publicKeyMultibase": key.public_key.multibase})
    result = mcred(runner, "sign", EXAMPLES / "elm-microcredential.json", "--key", public, "--out",
                   tmp_path / "s.json")
    assert_clear_error(result, 3, str(public), "this is a public key; signing needs the private key file "
                       "written by `mcred keygen`")
    assert not (tmp_path / "s.json").exists()


# --- workers die with their parent ----------------------------------------------------------------------


def children_of(pid: int) -> set[int]:
    """The live child processes of ``pid`` (Linux's /proc)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def poll(condition, seconds: float = 120) -> bool:
    """Wait until ``condition()`` holds (a bound against hanging, not a measure of speed)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


@pytest.mark.slow
def test_issue_workers_end_when_the_parent_is_killed(tmp_path, key_file):
    """`mcred issue --jobs 2` on a big roster, its parent killed with kill -9: the two workers end too."""
    roster = tmp_path / "roster.csv"
    with roster.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["given_name", "family_name", "date_of_birth", "email", "award_date", "grade"])
        for n in range(5000):
            writer.writerow([f"Nome{n}", f"Cognome{n}", "2000-01-15", f"l{n}@example.org", "2026-07-10", "28/30"])
    code = "import sys; from mcred.cli.app import main; sys.argv[0] = 'mcred'; main()"
    args = ["issue", EXAMPLES / "its-python-data.yaml", "--key", key_file, "--learners", roster,
            "--out-dir", tmp_path / "out", "--jobs", "2", "--issued", ISSUED]
    parent = subprocess.Popen([sys.executable, "-c", code, *map(str, args)], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    try:
        assert poll(lambda: len(children_of(parent.pid)) >= 2), "the workers never started"
        workers = children_of(parent.pid)
        parent.send_signal(signal.SIGKILL)
        assert parent.wait() == -signal.SIGKILL  # killed while issuing, not finished before
        assert poll(lambda: not any(alive(w) for w in workers), 60), "workers outlived their parent"
    finally:
        parent.kill()
        parent.wait()
        for worker in workers:
            if alive(worker):
                os.kill(worker, signal.SIGKILL)


def test_the_trust_file_s_hint_and_header_name_a_page_that_exists(runner, tmp_path, credentials):
    import re

    from mcred.verify.trust import _HEADER

    trust = tmp_path / "trust.yaml"
    trust.write_text("mcred: trust/1\nissuers: 7\n", encoding="utf-8")
    result = mcred(runner, "verify", credentials[0], "--trust", trust, *NOW)
    assert_clear_error(result, 3, "hint: see docs/")
    for text in (result.stderr, _HEADER):
        pages = re.findall(r"docs/[a-z-]+\.md", text)
        assert pages and all((ROOT / page).is_file() for page in pages), text


@pytest.mark.parametrize("line", [1, 2])
def test_a_roster_cell_over_the_csv_limit_is_an_input_error_naming_its_line(runner, tmp_path, key_file, line):
    cell = "A" * 140_000  # over csv.field_size_limit(), 131,072
    header = "given_name,family_name,date_of_birth,email,award_date,grade"
    rows = [header + "," + cell] if line == 1 else [header, cell + ",B,2000-01-15,a@example.org,2026-07-10,28/30"]
    roster = tmp_path / "roster.csv"
    roster.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = mcred(runner, "issue", EXAMPLES / "its-python-data.yaml", "--key", key_file, "--learners", roster,
                   "--out-dir", tmp_path / "out")
    assert_clear_error(result, 3, str(roster), f"row {line} (line {line}), column")
    assert "a cell is longer than 131,072 characters" in result.stderr
    assert not (tmp_path / "out").exists()
