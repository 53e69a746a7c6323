"""The rules an outcome file must meet beyond its JSON Schema, each naming its field.

Each function returns ``(JSON path, message)`` pairs, so that every problem is
reported at once rather than one per run.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from mcred.elm import italy, vocab

#: outcome-file fields that hold vocabulary keys: path -> vocabulary
_VOCABULARY_FIELDS = {
    ("mode",): "mode",
    ("learning_setting",): "learning_setting",
    ("assessment", "type"): "assessment",
    ("assessment", "supervision"): "supervision",
    ("quality_assurance", "accreditation", "type"): "accreditation",
}


def _get(data: dict, keys: tuple[str, ...]):
    for key in keys:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def check_outcomes(data: dict) -> list[tuple[str, str]]:
    """Problems of a schema-valid outcome file that the schema cannot see."""
    problems: list[tuple[str, str]] = []
    credential = data["credential"]
    for keys, kind in _VOCABULARY_FIELDS.items():
        value = _get(credential, keys)
        if value is not None:
            try:
                vocab.concept(kind, value)
            except vocab.UnknownKey as exc:
                problems.append(("$.credential." + ".".join(keys), str(exc)))
    for index, code in enumerate(credential.get("isced_f", [])):
        try:
            vocab.isced_f(code)
        except vocab.UnknownKey as exc:
            problems.append((f"$.credential.isced_f[{index}]", str(exc)))
    problems += _check_workload(credential.get("workload", {}))
    problems += _check_languages(data)
    for path, code in (("$.issuer.country", data["issuer"]["country"]),
                       ("$.credential.quality_assurance.accreditation.accrediting_agent.country",
                        _get(credential, ("quality_assurance", "accreditation", "accrediting_agent",
                                          "country")))):
        if code is not None:
            try:
                vocab.country(code)
            except vocab.UnknownKey as exc:
                problems.append((path, str(exc)))
    if "valid_until" in credential and _date(credential["valid_until"]) is None:
        problems.append(("$.credential.valid_until", f"{credential['valid_until']!r} is not a real date"))
    return problems


def _check_workload(workload: dict) -> list[tuple[str, str]]:
    try:
        italy.reconcile_workload(cfu=_decimal(workload.get("cfu")), hours=_decimal(workload.get("hours")))
    except italy.ItalianRuleError as exc:
        return [("$.credential.workload", str(exc))]
    return []


def workload_of(credential: dict) -> italy.Workload:
    """The reconciled workload (credits and hours) of a checked outcome file."""
    workload = credential["workload"]
    return italy.reconcile_workload(cfu=_decimal(workload.get("cfu")), hours=_decimal(workload.get("hours")))


def _decimal(value) -> Decimal | None:
    # YAML numbers arrive as int or float; a float is read through its shortest text, never its binary value
    if value is None:
        return None
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value))


def languages_of(data: dict) -> list[str]:
    """The credential's languages: as listed, or those of its title (the first is the primary one)."""
    return list(data["credential"].get("languages") or data["credential"]["title"])


def _check_languages(data: dict) -> list[tuple[str, str]]:
    languages = languages_of(data)
    problems = []
    for index, code in enumerate(languages):
        try:
            vocab.language(code)
        except vocab.UnknownKey as exc:
            problems.append((f"$.credential.languages[{index}]", str(exc)))
    for path, text in _texts(data, "$"):
        missing = [code for code in languages if code not in text]
        extra = [code for code in text if code not in languages]
        if path.startswith("$.credential") and missing:
            problems.append((path, f"no text in {', '.join(missing)} (the credential's languages are "
                                   f"{', '.join(languages)})"))
        if extra:
            problems.append((path, f"text in {', '.join(extra)}, which is not among the credential's "
                                   f"languages ({', '.join(languages)}: the title's, unless "
                                   "credential.languages lists them)"))
    return problems


def _texts(value, path):
    """(path, language map) for every language map in the outcome file."""
    if isinstance(value, dict):
        if value and all(isinstance(k, str) and len(k) == 2 and k.islower() and isinstance(v, str)
                         for k, v in value.items()):
            yield path, value
            return
        for key, item in value.items():
            if key != "learners":
                yield from _texts(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, f"{path}[{index}]")


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def check_learner(learner: dict) -> list[tuple[str, str]]:
    """Problems of one learner (from an outcome file or a roster row), paths relative to it ('$.x')."""
    problems = []
    for name in ("date_of_birth", "award_date"):
        if name in learner and _date(learner[name]) is None:
            problems.append((f"$.{name}", f"{learner[name]!r} is not a real date (YYYY-MM-DD)"))
    if "codice_fiscale" in learner:
        try:
            code = italy.check_codice_fiscale(learner["codice_fiscale"])
        except italy.ItalianRuleError as exc:
            problems.append(("$.codice_fiscale", f"{learner['codice_fiscale']!r}: {exc}"))
        else:
            born = _date(learner.get("date_of_birth"))
            for mismatch in italy.codice_fiscale_matches(code, date_of_birth=born):
                problems.append(("$.codice_fiscale", mismatch))
    return problems
