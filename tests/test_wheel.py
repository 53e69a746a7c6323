"""The built wheel is complete and works on its own: installed in a fresh venv, run
outside the checkout, with no network at all (a network namespace from
``unshare -rn``), it verifies a credential with the contexts it carries.

Slow (builds a wheel, creates a venv, installs dependencies from the package
index): deselect with ``-m "not slow"``.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from mcred import sign_credential
from tests.conftest import CREATED, VECTORS, load_json, write_json

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
NOW_ARG = "2026-11-23T12:00:00Z"


def run(args, *, cwd, timeout=600, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=timeout,
        **kwargs,
    )


def clean_env() -> dict:
    """The environment without anything that would point Python back at the checkout."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME", "PYTHONSTARTUP"}}
    env["PYTHONNOUSERSITE"] = "1"
    return env


def unshare_prefix() -> list[str]:
    """`unshare -rn`: a new user + network namespace, i.e. only a downed loopback."""
    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.fail("`unshare` (util-linux) is not installed; it is needed to prove the "
                    "installed wheel runs without network")
    probe = run([unshare, "-rn", "true"], cwd=REPO, timeout=30)
    if probe.returncode != 0:
        pytest.fail("`unshare -rn true` does not work on this machine (user namespaces "
                    f"disabled?): {probe.stderr.strip()}")
    return [unshare, "-rn"]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    outdir = tmp_path_factory.mktemp("dist")
    result = run([sys.executable, "-m", "build", "--wheel", "--outdir", outdir, REPO], cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    wheels = list(outdir.glob("mcred-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh venv with the wheel (and its dependencies) installed; returns the venv dir."""
    venv = tmp_path_factory.mktemp("installed") / "venv"
    created = run([sys.executable, "-m", "venv", venv], cwd=venv.parent, env=clean_env())
    assert created.returncode == 0, created.stderr
    pip = run([venv / "bin" / "python", "-m", "pip", "install", "--disable-pip-version-check",
               "--no-cache-dir", wheel], cwd=venv.parent, env=clean_env(), timeout=900)
    assert pip.returncode == 0, pip.stdout + pip.stderr
    return venv


@pytest.fixture
def signed_example(tmp_path, test_key) -> Path:
    doc = load_json(VECTORS / "unsigned.json")
    doc["issuer"] = test_key.did
    signed = sign_credential(doc, test_key, created=CREATED)
    return write_json(tmp_path / "signed.json", signed)


# --- the wheel's contents ---------------------------------------------------------------


def test_wheel_carries_every_bundled_context_and_no_tests(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        assert "mcred/contexts/index.json" in names
        index = json.loads(archive.read("mcred/contexts/index.json"))
        assert index, "index.json lists no context"
        for url, entry in index.items():
            member = f"mcred/contexts/{entry['file']}"
            assert member in names, f"{url}: {member} is missing from the wheel"
            digest = hashlib.sha256(archive.read(member)).hexdigest()
            assert digest == entry["sha256"], f"{member} differs from its pinned digest"
    # the wheel's index is the repository's index (nothing stale was packaged)
    assert index == load_json(REPO / "contexts" / "index.json")
    assert not [n for n in names if n.startswith("tests/") or "/tests/" in n]
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    assert {n.split("/")[0] for n in names} == {"mcred", "mcred-0.1.0.dist-info"}
    # every module of every subpackage is packaged (a subpackage without its __init__.py would be left out)
    modules = {f"mcred/{path.relative_to(REPO / 'mcred').as_posix()}" for path in (REPO / "mcred").rglob("*.py")}
    assert "mcred/cli/app.py" in modules and modules <= set(names), sorted(modules - set(names))


# --- the installed wheel, away from the checkout and the network ---------------------


def test_wheel_carries_the_bundled_sd_jwt_type_metadata(wheel):
    with zipfile.ZipFile(wheel) as archive:
        index = json.loads(archive.read("mcred/sdjwt/vctm/index.json"))
        assert "urn:eudi:micro_credential:1" in index
        for vct, entry in index.items():
            digest = hashlib.sha256(archive.read(f"mcred/sdjwt/vctm/{entry['file']}")).hexdigest()
            assert digest == entry["sha256"], f"{vct}: {entry['file']} differs from its pinned digest"
    assert index == load_json(REPO / "mcred" / "sdjwt" / "vctm" / "index.json")


def test_wheel_carries_the_bundled_euhemc_files(wheel):
    """--format vc2's context, JSON Schemas and SHACL shapes, each as its index pins it."""
    with zipfile.ZipFile(wheel) as archive:
        index = json.loads(archive.read("mcred/schemas/euhemc/index.json"))
        assert "euhemc.shacl.ttl" in index and "edc-ap-context-elm-3.2.jsonld" in index
        for name, sha256 in index.items():
            digest = hashlib.sha256(archive.read(f"mcred/schemas/euhemc/{name}")).hexdigest()
            assert digest == sha256, f"{name} differs from its pinned digest"
    assert index == load_json(REPO / "mcred" / "schemas" / "euhemc" / "index.json")


def test_installed_package_reads_its_own_files(installed, tmp_path):
    code = ("import mcred, mcred.jsonld.contexts as b, importlib.resources as r; "
            "print(r.files('mcred')); print(mcred.__file__); "
            "print((b._contexts_dir() / 'index.json'))")
    result = run([installed / "bin" / "python", "-c", code], cwd=tmp_path, env=clean_env())
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 3, result.stdout
    venv = installed.resolve()
    for line in lines:
        path = Path(line).resolve()
        assert path.is_relative_to(venv), f"{line} is not inside {venv}"
        assert "site-packages" in path.parts
        assert not path.is_relative_to(REPO)


def test_unshare_really_cuts_the_network(installed, tmp_path):
    """Negative control: inside the namespace a connection attempt fails at once."""
    code = ("import socket\n"
            "try:\n"
            "    socket.create_connection(('192.0.2.1', 443), timeout=5)\n"
            "except OSError as exc:\n"
            "    print('refused', exc.errno)\n"
            "else:\n"
            "    print('connected')\n")
    result = run([*unshare_prefix(), installed / "bin" / "python", "-c", code], cwd=tmp_path,
                 env=clean_env(), timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("refused"), result.stdout


def test_installed_mcred_verifies_offline(installed, signed_example, tmp_path):
    mcred = installed / "bin" / "mcred"
    result = run([*unshare_prefix(), mcred, "verify", signed_example, "--now", NOW_ARG],
                 cwd=tmp_path, env=clean_env(), timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    # no trust list: the heading says the signature is valid and the issuer was not checked
    assert result.stdout.startswith("SIGNATURE VALID, ISSUER NOT CHECKED")
    assert "NOT VALID" not in result.stdout


def test_installed_mcred_rejects_a_tampered_credential_offline(installed, signed_example,
                                                               tmp_path):
    doc = copy.deepcopy(load_json(signed_example))
    doc["credentialSubject"]["alumniOf"] = "The School of Forgery"
    tampered = write_json(tmp_path / "tampered.json", doc)
    result = run([*unshare_prefix(), installed / "bin" / "mcred", "verify", tampered,
                  "--now", NOW_ARG, "--format", "json"],
                 cwd=tmp_path, env=clean_env(), timeout=120)
    assert result.returncode == 1, result.stdout + result.stderr
    report = json.loads(result.stdout.splitlines()[0])
    codes = [check.get("code") for check in report["checks"] if check["status"] == "failed"]
    assert codes == ["PROOF_SIGNATURE_INVALID"], report
