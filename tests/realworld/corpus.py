"""mcred against the field: the real-world corpus verified as a user would, and compared with each source's verdict.

The corpus (``tests/assets/realworld/``, copied from ``../shared/realworld/corpus`` with its
PROVENANCE.md) holds 284 credentials from 11 independent sources and, in ``expected.json``, each
source's own verdict. Each source's signed, sealed and JWT credentials are verified in one
``mcred verify --format json`` run, given only what a user could supply: the DID documents and
status lists in the source's ``_aux/`` folder (``--did-documents``, ``--status-list``), a trust file
where the source's specification publishes which keys its example issuer signs with
(``inputs/<source>/trust.yaml``, or ``trust-<tag>.yaml`` for the files whose name holds the tag)
and, where the source says so, the time it was valid at (``--now``).
Nothing here is bundled into mcred.

``python -m tests.realworld.corpus`` prints the agreement by source and every disagreement.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from typer.testing import CliRunner

from mcred.cli.app import app

CORPUS = Path(__file__).resolve().parents[1] / "assets" / "realworld"
#: what a tester of a source supplies besides its _aux folder: a trust file binding the source's example
#: issuers to the keys its specification publishes (``inputs/<source>/trust.yaml``)
INPUTS = Path(__file__).resolve().parent / "inputs"
EXPECTED = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))

#: proofs outside mcred's reach by design, and why (counted apart from "valid refused")
SUITES_OUT_OF_SCOPE = {
    "bbs-2023": "BBS signatures (a pairing curve; no well-kept Python library)",
    "TezosJcsSignature2021": "a Tezos wallet signature",
    "EcdsaSecp256k1RecoverySignature2020": "secp256k1 public-key recovery (a blockchain suite)",
    "JsonWebSignature2020": "a withdrawn suite (JWS over URDNA2015, any JOSE key)",
    "SomeProofType": "not a proof type at all",
}


@dataclass
class Item:
    """One corpus credential: what its source says, and what mcred concluded."""

    file: str
    expected: str
    kind: str
    reason: str
    verdict: str = "not run"  # verified | refused | unusable
    codes: list[str] = field(default_factory=list)
    out_of_scope: str | None = None

    @property
    def agrees(self) -> bool:
        if self.expected == "valid":
            return self.verdict == "verified"
        if self.expected == "invalid":
            return self.verdict != "verified"
        return True


def verifiable_items() -> list[Item]:
    return [Item(name, entry["expected"], entry["kind"], entry.get("reason", ""))
            for name, entry in sorted(EXPECTED.items()) if entry["kind"] in ("signed", "sealed", "jwt")]


def out_of_scope(path: Path) -> str | None:
    """Why a credential is out of an offline verifier's reach, from the file alone (None: in reach)."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(document, dict):
        return None
    proofs = document.get("proof")
    for proof in proofs if isinstance(proofs, list) else [proofs]:
        if not isinstance(proof, dict):
            continue
        suite = proof.get("cryptosuite") or proof.get("type")
        if suite in SUITES_OUT_OF_SCOPE:
            return f"{suite}: {SUITES_OUT_OF_SCOPE[suite]}"
        method = proof.get("verificationMethod")
        if isinstance(method, str) and not method.startswith("did:key:") \
                and method.split("#")[0] not in documents_given(path.relative_to(CORPUS).parts[0]):
            return f"the key {method} is in no document the corpus holds: an offline verifier cannot be given it"
    return None


def documents_given(source: str) -> set[str]:
    """The ids of the DID and controller documents a tester of the source can give (its ``_aux/dids__*``)."""
    ids = set()
    for document in sorted((CORPUS / source / "_aux").glob("dids__*")):
        value = json.loads(document.read_text(encoding="utf-8")).get("id")
        if isinstance(value, str):
            ids.add(value)
    return ids


def trust_file(file: str) -> Path | None:
    """The trust file a tester gives for a corpus file: ``inputs/<source>/trust-<tag>.yaml`` when the file's
    name holds ``<tag>`` (a key belongs to one issuer in a trust file, and some sources sign for several
    issuers with one key), else ``inputs/<source>/trust.yaml``, else none."""
    source, name = file.split("/", 1)
    folder = INPUTS / source
    for candidate in sorted(folder.glob("trust-*.yaml")):
        if candidate.stem.removeprefix("trust-") in name:
            return candidate
    return folder / "trust.yaml" if (folder / "trust.yaml").is_file() else None


def _aux_args(source: Path, trust: Path | None) -> list[str]:
    args: list[str] = ["--trust", str(trust)] if trust else []
    aux = source / "_aux"
    if not aux.is_dir():
        return args
    documents = sorted(p for p in aux.iterdir() if p.name.startswith("dids__"))
    if documents:
        args += ["--did-documents", str(aux)]
    for status in sorted(p for p in aux.iterdir() if "status" in p.name.lower() or "list" in p.name.lower()):
        args += ["--status-list", str(status)]
    return args


def run(items: list[Item] | None = None) -> list[Item]:
    """Verify every item with the CLI, one run per source, time and trust file; fill in each item's verdict."""
    items = verifiable_items() if items is None else items
    groups: dict[tuple[str, str | None, Path | None], list[Item]] = {}
    for item in items:
        key = (item.file.split("/")[0], EXPECTED[item.file].get("now"), trust_file(item.file))
        groups.setdefault(key, []).append(item)
    runner = CliRunner()
    for (source, now, trust), members in groups.items():
        by_path = {str(CORPUS / m.file): m for m in members}
        args = ["verify", "--format", "json", *_aux_args(CORPUS / source, trust), *(["--now", now] if now else []),
                *by_path]
        result = runner.invoke(app, args)
        for line in result.stdout.splitlines():
            report = json.loads(line)
            item = by_path.get(report.get("file"))
            if item is None:
                continue
            item.codes = [c["code"] for c in report.get("checks", []) if c["status"] == "failed"]
            item.verdict = ("verified" if report.get("verified") else
                            "unusable" if report.get("outcome") == "unusable" else "refused")
        for item in members:
            item.out_of_scope = out_of_scope(CORPUS / item.file)
            if item.verdict == "not run":  # a run that ended before its report: the whole output, to see why
                item.codes = [f"exit {result.exit_code}: {result.output[-300:]}"]
    return items


def summary(items: list[Item]) -> dict:
    judged = [i for i in items if i.expected in ("valid", "invalid")]
    return {
        "credentials": len(items),
        "agree": sum(i.agrees for i in judged),
        "judged": len(judged),
        "valid refused (in reach)": sum(i.expected == "valid" and not i.agrees and not i.out_of_scope
                                        for i in judged),
        "valid refused (out of reach)": sum(i.expected == "valid" and not i.agrees and bool(i.out_of_scope)
                                            for i in judged),
        "invalid accepted": sum(i.expected == "invalid" and not i.agrees for i in judged),
    }


def main() -> None:
    items = run()
    by_source: Counter = Counter()
    agree: Counter = Counter()
    for item in items:
        source = item.file.split("/")[0]
        by_source[source] += item.expected in ("valid", "invalid")
        agree[source] += item.expected in ("valid", "invalid") and item.agrees
    for source in sorted(by_source):
        print(f"{source:28} {agree[source]:3} / {by_source[source]:3}")
    print(json.dumps(summary(items), indent=1))
    for item in items:
        if not item.agrees:
            print(f"- {item.file}: expected {item.expected}, mcred {item.verdict} {item.codes}"
                  + (f" [out of reach: {item.out_of_scope}]" if item.out_of_scope else ""))


if __name__ == "__main__":
    main()
