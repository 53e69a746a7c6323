"""Measure mcred's speed goals in one run: ratios to a raw Ed25519 verify, start-up, hostile input, batches.

Usage: python benchmarks/bench.py [--rounds N] [--batch COUNT] [--json OUT.json]

* Operations on the example ELM credential (examples/elm-microcredential.json,
  about 20 KB signed): each round runs every contender once, in the same process
  and on the same data, and ratios are taken per round before the median, so
  machine noise largely cancels. The ECDSA rows sign the same credential with a
  P-256 and a P-384 key (its issuer set to the key's did:key), and are also given
  as a ratio to the eddsa-rdfc-2022 verify of the same round.
* Start-up: the wall time of fresh ``mcred --help`` and ``mcred verify one.json``
  processes (the median of several).
* Hostile input: the wall time of ``verify_file`` on inputs of up to 1 MB built
  to be expensive (deep nesting, huge arrays, a blank-node clique, ...).
* With ``--batch COUNT``: ``mcred verify DIR --jobs 1`` and ``--jobs 2`` over COUNT
  issued credentials (benchmarks/batch.py), for the speed-up and the peak RSS.

It ends with the goals of the speed issue, each marked met or not. Figures go in
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from mcred.elm.outcomes import load_outcomes
from mcred.issue.issuing import issue_credential
from mcred.keys.ecdsa import EcSigningKey
from mcred.keys.ed25519 import load_signing_key
from mcred.proofs.data_integrity import ECDSA_RDFC, JCS, RDFC, verify_proof
from mcred.proofs.signing import sign_credential
from mcred.verify.runner import verify_credential, verify_file

ROOT = Path(__file__).resolve().parents[1]
RAW_VERIFY = "raw Ed25519 verify (cryptography)"
RAW_SIGN = "raw Ed25519 sign (cryptography)"
EDDSA_VERIFY = "full verify eddsa-rdfc-2022"
ECDSA_VERIFY = {"P-256": "full verify ecdsa-rdfc-2019 P-256", "P-384": "full verify ecdsa-rdfc-2019 P-384"}
RAW_ES256 = "raw ES256 verify (cryptography)"
SD_JWT_VERIFY = "full verify SD-JWT VC (ELM example)"
SD_JWT_FIRST = "full verify SD-JWT VC, issuer's chain new"
SD_JWT_IETF = "full verify SD-JWT VC (IETF example 01)"


def per_call(fn, seconds: float = 0.2) -> float:
    """Seconds per call, running fn repeatedly for about `seconds`."""
    calls, start = 0, time.perf_counter()
    while True:
        fn()
        calls += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return elapsed / calls


def operations(rounds: int) -> list[dict]:
    key = load_signing_key(ROOT / "keys" / "TEST-ONLY-issuer.pem")
    unsigned = json.loads((ROOT / "examples" / "elm-microcredential.json").read_text())
    signed = {suite: sign_credential(unsigned, key, suite=suite) for suite in (RDFC, JCS)}
    ec_keys = {curve: EcSigningKey.generate(curve) for curve in ECDSA_VERIFY}
    ec_signed = {curve: sign_credential(unsigned, ec_key, suite=ECDSA_RDFC, issuer_from_key=True)
                 for curve, ec_key in ec_keys.items()}
    message, signature = b"x" * 64, key.sign(b"x" * 64)
    outcomes = load_outcomes(ROOT / "examples" / "its-python-data.yaml")
    learner = outcomes.learners[0]
    contenders = {
        RAW_VERIFY: lambda: key.public_key.verify(signature, message),
        RAW_SIGN: lambda: key.sign(message),
        "sign eddsa-rdfc-2022": lambda: sign_credential(unsigned, key, suite=RDFC),
        "verify_proof eddsa-rdfc-2022": lambda: verify_proof(signed[RDFC], 0),
        EDDSA_VERIFY: lambda: verify_credential(signed[RDFC]),
        "issue (build + lint + sign) eddsa-rdfc-2022": lambda: issue_credential(
            outcomes, learner, key, issued="2026-07-01T09:00:00Z"),
        "sign eddsa-jcs-2022": lambda: sign_credential(unsigned, key, suite=JCS),
        "full verify eddsa-jcs-2022": lambda: verify_credential(signed[JCS]),
        "sign ecdsa-rdfc-2019 P-256": lambda: sign_credential(unsigned, ec_keys["P-256"], suite=ECDSA_RDFC,
                                                              issuer_from_key=True),
        ECDSA_VERIFY["P-256"]: lambda: verify_credential(ec_signed["P-256"]),
        ECDSA_VERIFY["P-384"]: lambda: verify_credential(ec_signed["P-384"]),
    }
    for document in [*signed.values(), *ec_signed.values()]:
        assert verify_credential(document).verified  # a benchmark of a failing verify would measure nothing
    for fn in contenders.values():  # warm caches (processed contexts)
        fn()
    ratios: dict[str, list[float]] = {name: [] for name in contenders}
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(rounds):
        base = per_call(contenders[RAW_VERIFY])
        for name, fn in contenders.items():
            elapsed = per_call(fn)
            times[name].append(elapsed)
            ratios[name].append(elapsed / base)
    return [{"what": name, "ms": statistics.median(times[name]) * 1000,
             "per_second": 1 / statistics.median(times[name]),
             "x_ed25519_verify": statistics.median(ratios[name]),
             "x_ed25519_sign": statistics.median(
                 t / s for t, s in zip(times[name], times[RAW_SIGN], strict=True)),
             "x_eddsa_rdfc_verify": statistics.median(
                 t / s for t, s in zip(times[name], times[EDDSA_VERIFY], strict=True))}
            for name in contenders]


def sd_jwt_operations(rounds: int) -> list[dict]:
    """Issue 18: verifying an SD-JWT VC against a raw ES256 verify (cryptography's, of the same issuer-signed
    JWT), per round. The examples: mcred's ELM micro-credential (examples/its-python-data.yaml, issued with a
    two-certificate x5c chain to a trust anchor) and the IETF SD-JWT VC draft's example 01 (its payload and
    disclosures re-signed with such a chain, since it names its key by kid). A verifier remembers an issuer's
    chain once it has validated it (mcred.verify.sdjwt); the "chain new" row forgets it before every call,
    as for the first credential of an issuer: it then costs two more signature checks, and the chain's
    validation."""
    import base64

    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

    import mcred.verify.sdjwt as sdjwt
    from mcred.issue.sd_jwt_vc import issue_sd_jwt_vc
    from mcred.keys.jose import ParsedJwsVerifier, sign_compact_ec
    from mcred.keys.multikey import EcPublicKey
    from mcred.report import VerificationReport, VerifyOptions
    from mcred.seals.anchors import X509Anchor
    from mcred.verify.trust import TrustList

    sys.path.insert(0, str(ROOT))
    from tests.unit.sdjwt.certs import certificate  # test certificates, made on the fly

    key, ca_key = EcSigningKey.generate("P-256"), ec.generate_private_key(ec.SECP256R1())
    since = datetime(2023, 1, 1, tzinfo=timezone.utc)  # the IETF example was issued in 2023
    ca_cert = certificate(ca_key, ca_key, subject="Test CA", issuer="Test CA", ca=True, start=since, days=5000)
    leaf = certificate(key._key, ca_key, subject="Università di Esempio", issuer="Test CA", start=since, days=4000)
    anchor = X509Anchor(name="Test CA", sha256=ca_cert.fingerprint(hashes.SHA256()).hex(),
                        certificate=ca_cert.public_bytes(serialization.Encoding.PEM).decode())
    options = VerifyOptions(trust=TrustList(anchors=(anchor,)))
    outcomes = load_outcomes(ROOT / "examples" / "its-python-data.yaml", now="2026-10-01T09:00:00Z")
    elm = issue_sd_jwt_vc(outcomes, outcomes.learners[0], key, [leaf, ca_cert], issued="2026-10-01T09:00:00Z").text
    # the IETF example's issuer-signed payload and presented disclosures, signed again with an x5c chain
    presented = (ROOT / "tests" / "assets" / "sd-jwt-vc" / "01" / "sd_jwt_presentation.txt").read_text().strip()
    issuer_jwt, *disclosures, _kb = presented.split("~")
    payload = base64.urlsafe_b64decode(issuer_jwt.split(".")[1] + "==")
    x5c = [base64.b64encode(c.public_bytes(serialization.Encoding.DER)).decode() for c in (leaf, ca_cert)]
    ietf = "~".join([sign_compact_ec({"typ": "dc+sd-jwt", "x5c": x5c}, payload, key), *disclosures, ""])
    now = datetime(2026, 10, 2, tzinfo=timezone.utc)

    def verify(text: str) -> VerificationReport:
        return sdjwt.verify_sd_jwt(text, VerificationReport(file="x.sd-jwt"), now=now, options=options)

    def first(text: str) -> VerificationReport:
        sdjwt._READ_X5C.clear()
        sdjwt._TRUSTED_CHAINS.clear()
        return verify(text)

    signing_input, signature = elm.split("~")[0].rsplit(".", 1)
    raw = base64.urlsafe_b64decode(signature + "==")
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    public, message = key._key.public_key(), signing_input.encode("ascii")
    jose = ParsedJwsVerifier(EcPublicKey(public), "ES256")
    contenders = {
        RAW_ES256: lambda: public.verify(der, message, ec.ECDSA(hashes.SHA256())),
        "joserfc ES256 verify of the issuer-signed JWT": lambda: jose.verify(elm.split("~")[0]),
        SD_JWT_VERIFY: lambda: verify(elm),
        SD_JWT_FIRST: lambda: first(elm),
        SD_JWT_IETF: lambda: verify(ietf),
    }
    for text in (elm, ietf):  # a benchmark of a failing verify would measure nothing
        report = verify(text)
        assert report.verified and any(c.code == "SDJWT_CHAIN_TRUSTED" for c in report.checks), report.checks
    return _rounds(contenders, RAW_ES256, rounds)


def _rounds(contenders: dict, base_name: str, rounds: int) -> list[dict]:
    """Each contender's median time and median ratio to ``base_name``'s time in the same round."""
    for fn in contenders.values():
        fn()
    times: dict[str, list[float]] = {name: [] for name in contenders}
    ratios: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(rounds):
        base = per_call(contenders[base_name])
        for name, fn in contenders.items():
            elapsed = per_call(fn)
            times[name].append(elapsed)
            ratios[name].append(elapsed / base)
    return [{"what": name, "ms": statistics.median(times[name]) * 1000,
             "per_second": 1 / statistics.median(times[name]), "x_es256_verify": statistics.median(ratios[name])}
            for name in contenders]


def start_up(runs: int = 5) -> dict[str, float]:
    """Median wall seconds of fresh processes (the console script's interpreter, no warm caches)."""
    mcred = [sys.executable, "-m", "mcred.cli.app"]
    one = str(ROOT / "examples" / "elm-microcredential.signed.json")
    result = {}
    for name, args in (("mcred --help", ["--help"]), ("mcred verify one.json", ["verify", one])):
        walls = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run([*mcred, *args], capture_output=True, check=False)
            walls.append(time.perf_counter() - start)
        result[name] = statistics.median(walls)
    return result


def hostile_inputs() -> dict[str, bytes]:
    """Inputs of at most 1 MB built to be expensive; each must be answered (or refused) quickly."""
    context = ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"]
    # a proof (whose signature cannot match) so that verifying goes all the way to canonicalisation
    proof = {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "created": "2026-01-01T00:00:00Z",
             "verificationMethod": "did:key:z6MkehRgf7yJbgaGfYsdoAsKdBPE3dj2CYhowQdcjqSJgvVd"
                                   "#z6MkehRgf7yJbgaGfYsdoAsKdBPE3dj2CYhowQdcjqSJgvVd",
             "proofPurpose": "assertionMethod", "proofValue": "z" + "1" * 64}  # 64 zero bytes

    def credential(subject) -> bytes:
        return json.dumps({"@context": context, "type": ["VerifiableCredential"], "issuer": "did:example:i",
                           "credentialSubject": subject, "proof": proof}).encode()

    deep = "[" * 20_000 + '"leaf"' + "]" * 20_000
    clique = [{"@id": f"_:n{i}", "knows": [{"@id": f"_:n{j}"} for j in range(10)]} for i in range(10)]
    inputs = {
        "nesting 20,000 deep": f'{{"@context": {json.dumps(context)}, "x": {deep}}}'.encode(),
        "one array of 90,000 strings": credential({"id": "did:example:s", "alumniOf": ["s"] * 90_000}),
        "blank-node clique (RDFC test 074 shape)": credential({"id": "did:example:s", "knows": clique}),
        "700 values under one property": credential({"id": "did:example:s",
                                                     "alumniOf": [f"school {i}" for i in range(700)]}),
        "700 objects of 10 properties": credential({"id": "did:example:s", "knows": [
            {f"p{k}": f"v{i}-{k}" for k in range(10)} for i in range(700)]}),
        "one string of 1 MB": credential({"id": "did:example:s", "name": "x" * 1_000_000}),
    }
    assert all(len(data) <= 1024 * 1024 for data in inputs.values())
    return inputs


def hostile(folder: Path) -> dict[str, float]:
    walls = {}
    for index, (name, data) in enumerate(hostile_inputs().items()):
        path = folder / f"hostile-{index}.json"
        path.write_bytes(data)
        start = time.perf_counter()
        report = verify_file(path)
        wall = time.perf_counter() - start
        failed = next((check.code for check in report.checks if check.status.value == "failed"), "verified")
        walls[f"{name} ({len(data) // 1024} KB): {failed}"] = wall
    return walls


def goals(rows: list[dict], startup: dict[str, float], hostile_walls: dict[str, float],
          batch: dict | None, sd_rows: list[dict]) -> list[tuple[str, str, str, bool | None]]:
    ratio = {row["what"]: row["x_ed25519_verify"] for row in rows}
    table = [
        ("1. eddsa-rdfc-2022 verify", "<= 25x", f"{ratio['full verify eddsa-rdfc-2022']:.1f}x",
         ratio["full verify eddsa-rdfc-2022"] <= 25),
        ("   milestone: beat the JavaScript reference", "< 70x", f"{ratio['full verify eddsa-rdfc-2022']:.1f}x",
         ratio["full verify eddsa-rdfc-2022"] < 70),
        ("2. issue (build + sign)", "<= 30x", f"{ratio['issue (build + lint + sign) eddsa-rdfc-2022']:.1f}x",
         ratio["issue (build + lint + sign) eddsa-rdfc-2022"] <= 30),
        ("3. eddsa-jcs-2022 verify", "<= 4x", f"{ratio['full verify eddsa-jcs-2022']:.1f}x",
         ratio["full verify eddsa-jcs-2022"] <= 4),
    ]

    if batch:
        table += [("4. --jobs 2 speed-up", ">= 1.8x", f"{batch['speed_up']:.2f}x", batch["speed_up"] >= 1.8),
                  ("   peak RSS", "< 300 MB", f"{batch['peak_rss_mb']:.0f} MB", batch["peak_rss_mb"] < 300)]
    else:
        table.append(("4. batches (run with --batch N)", ">= 1.8x, < 300 MB", "not measured", None))
    table += [
        ("5. mcred verify one.json", "< 0.5 s", f"{startup['mcred verify one.json']:.2f} s",
         startup["mcred verify one.json"] < 0.5),
        ("   mcred --help", "< 0.25 s", f"{startup['mcred --help']:.2f} s", startup["mcred --help"] < 0.25),
        ("6. slowest hostile input of <= 1 MB", "<= 2 s", f"{max(hostile_walls.values()):.2f} s",
         max(hostile_walls.values()) <= 2),
    ]
    to_eddsa = {row["what"]: row["x_eddsa_rdfc_verify"] for row in rows}
    for curve, what in ECDSA_VERIFY.items():  # issue 16: per round, against the eddsa-rdfc-2022 verify
        table.append((f"{'7.' if curve == 'P-256' else '  '} ecdsa-rdfc-2019 {curve} verify / eddsa's",
                      "<= 1.5x", f"{to_eddsa[what]:.2f}x", to_eddsa[what] <= 1.5))
    to_es256 = {row["what"]: row["x_es256_verify"] for row in sd_rows}  # issue 18: per round, against raw ES256
    table.append(("8. SD-JWT VC verify / raw ES256 (IETF ex. 01)", "<= 3x", f"{to_es256[SD_JWT_IETF]:.2f}x",
                  to_es256[SD_JWT_IETF] <= 3))
    table.append(("   mcred's ELM micro-credential (3 KB claims)", "<= 3x", f"{to_es256[SD_JWT_VERIFY]:.2f}x",
                  to_es256[SD_JWT_VERIFY] <= 3))
    table.append(("   an issuer's first (its chain validated)", "-", f"{to_es256[SD_JWT_FIRST]:.2f}x", None))
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--batch", type=int, metavar="COUNT", help="also time `mcred verify DIR` over COUNT files")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    rows = operations(args.rounds)
    print(f"{'what':<46} {'ms':>8} {'per s':>9} {'x verify':>9} {'x sign':>9} {'x eddsa':>8}")
    for row in rows:
        print(f"{row['what']:<46} {row['ms']:>8.3f} {row['per_second']:>9.0f} "
              f"{row['x_ed25519_verify']:>9.1f} {row['x_ed25519_sign']:>9.1f} {row['x_eddsa_rdfc_verify']:>8.2f}")
    sd_rows = sd_jwt_operations(args.rounds)
    print(f"\n{'SD-JWT VC (issue 18)':<46} {'ms':>8} {'per s':>9} {'x ES256':>9}")
    for row in sd_rows:
        print(f"{row['what']:<46} {row['ms']:>8.3f} {row['per_second']:>9.0f} {row['x_es256_verify']:>9.2f}")
    startup = start_up()
    print()
    for name, wall in startup.items():
        print(f"start-up: {name:<37} {wall:>6.2f} s")
    with tempfile.TemporaryDirectory() as folder:
        hostile_walls = hostile(Path(folder))
    print()
    for name, wall in hostile_walls.items():
        print(f"hostile: {name:<70} {wall:>6.2f} s")
    batch = None
    if args.batch:
        sys.path.insert(0, str(Path(__file__).parent))
        from batch import measure  # benchmarks/batch.py

        print()
        batch = measure(args.batch, RDFC)
    print("\ngoal                                             target              measured    met")
    table = goals(rows, startup, hostile_walls, batch, sd_rows)
    for name, target, measured, met in table:
        mark = "-" if met is None else ("yes" if met else "NO")
        print(f"{name:<48} {target:<19} {measured:>9}    {mark}")
    if args.json:
        args.json.write_text(json.dumps({"machine": platform.platform(), "processor": platform.processor(),
                                         "python": platform.python_version(), "rows": rows, "sd_jwt_rows": sd_rows,
                                         "start_up_s": startup, "hostile_s": hostile_walls, "batch": batch,
                                         "goals": [{"goal": n, "target": t, "measured": m, "met": ok}
                                                   for n, t, m, ok in table]}, indent=2))


if __name__ == "__main__":
    main()
