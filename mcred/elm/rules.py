"""The rules an outcome file must meet beyond its JSON Schema, each naming its field.

Each function returns ``(JSON path, message, code)`` triples, so that every
problem is reported at once rather than one per run.
"""

from __future__ import annotations

from datetime import date, datetime, time, timezone
from decimal import Decimal

from mcred.elm import italy, vocab
from mcred.report import CLOCK_SKEW

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


#: a problem found by a rule: (JSON path, message, code)
Finding = tuple[str, str, str]

#: the ages at the award date that mcred takes as plausible for a learner
YOUNGEST, OLDEST = 10, 120


def check_outcomes(data: dict, *, now: date | datetime | None = None) -> list[Finding]:
    """Problems of an outcome file that the schema cannot see.

    ``data`` holds only what passed the schema (:func:`mcred._schema.without_problems`), so
    a field may be missing, but a field that is there has the type and form the schema says.
    ``now`` is the issuing date: ``valid_until`` must not be before it.
    """
    if not isinstance(data, dict):
        return []
    problems: list[Finding] = []
    credential = data.get("credential") if isinstance(data.get("credential"), dict) else {}
    for keys, kind in _VOCABULARY_FIELDS.items():
        value = _get(credential, keys)
        if isinstance(value, str):
            try:
                vocab.concept(kind, value)
            except vocab.UnknownKey as exc:
                problems.append(("$.credential." + ".".join(keys), str(exc), "VOCABULARY_UNKNOWN"))
    for index, code in enumerate(credential.get("isced_f") or []):
        if isinstance(code, str):
            try:
                vocab.isced_f(code)
            except vocab.UnknownKey as exc:
                problems.append((f"$.credential.isced_f[{index}]", str(exc), "VOCABULARY_UNKNOWN"))
    if credential.get("workload"):  # emptied when its values broke the schema: reported there already
        problems += _check_workload(credential["workload"])
    problems += _check_languages(data)
    issuer = data.get("issuer") if isinstance(data.get("issuer"), dict) else {}
    for path, code in (("$.issuer.country", issuer.get("country")),
                       ("$.credential.quality_assurance.accreditation.accrediting_agent.country",
                        _get(credential, ("quality_assurance", "accreditation", "accrediting_agent",
                                          "country")))):
        if isinstance(code, str):
            try:
                vocab.country(code)
            except vocab.UnknownKey as exc:
                problems.append((path, str(exc), "COUNTRY_UNKNOWN"))
    if "valid_until" in credential:
        until = _date(credential["valid_until"])
        if until is None:
            problems.append(("$.credential.valid_until", f"{credential['valid_until']!r} is not a real date",
                             "DATE_INVALID"))
        elif now is not None and until < _day(now):
            problems.append(("$.credential.valid_until", f"{until.isoformat()} is before the issuing date "
                             f"{_day(now).isoformat()}: every credential would have expired when issued",
                             "VALID_UNTIL_PASSED"))
    return problems


def _check_workload(workload: dict) -> list[Finding]:
    try:
        italy.reconcile_workload(cfu=_decimal(workload.get("cfu")), hours=_decimal(workload.get("hours")))
    except italy.ItalianRuleError as exc:
        return [("$.credential.workload", str(exc), "CREDITS_HOURS_MISMATCH")]
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


def _check_languages(data: dict) -> list[Finding]:
    credential = data.get("credential") if isinstance(data.get("credential"), dict) else {}
    if not (credential.get("languages") or credential.get("title")):
        return []  # nothing to compare with: the schema reported the missing title
    languages = [code for code in languages_of(data) if isinstance(code, str)]
    problems = []
    for index, code in enumerate(credential.get("languages") or []):
        if not isinstance(code, str):
            continue
        try:
            vocab.language(code)
        except vocab.UnknownKey as exc:
            problems.append((f"$.credential.languages[{index}]", str(exc), "LANGUAGE_UNKNOWN"))
    for path, text in _texts(data, "$"):
        missing = [code for code in languages if code not in text]
        extra = [code for code in text if code not in languages]
        if path.startswith("$.credential") and missing:
            problems.append((path, f"no text in {', '.join(missing)} (the credential's languages are "
                                   f"{', '.join(languages)})", "TEXT_LANGUAGE_MISSING"))
        if extra:
            problems.append((path, f"text in {', '.join(extra)}, which is not among the credential's "
                                   f"languages ({', '.join(languages)}: the title's, unless "
                                   "credential.languages lists them)", "TEXT_LANGUAGE_EXTRA"))
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


def check_learner(learner: dict, *, valid_until: str | None = None,
                  now: date | datetime | None = None) -> list[Finding]:
    """Problems of one learner (from an outcome file or a roster row), paths relative to it ('$.x').

    Dates are checked against each other and against the credential: the award date
    not after ``now`` (the issuing time) nor after ``valid_until``; the birth date
    before both, the learner aged 10 to 120 at the award, and the birth date the one
    the codice fiscale encodes. The award date becomes the credential's ``validFrom``
    (midnight UTC), so it is compared as the verifier will: with its clock skew.
    """
    problems: list[Finding] = []
    dates = {}
    for name in ("date_of_birth", "award_date"):
        if name in learner:
            dates[name] = _date(learner[name])
            if dates[name] is None:
                problems.append((f"$.{name}", f"{learner[name]!r} is not a real date", "DATE_INVALID"))
    problems += _award_date_rules(dates.get("award_date"), _date(valid_until), now)
    problems += _birth_date_rules(dates.get("date_of_birth"), dates.get("award_date"), now)
    if "codice_fiscale" in learner:
        try:
            code = italy.check_codice_fiscale(learner["codice_fiscale"])
        except italy.ItalianRuleError as exc:
            problems.append(("$.codice_fiscale", f"{learner['codice_fiscale']!r}: {exc}", "CODICE_FISCALE_INVALID"))
        else:
            for mismatch in italy.codice_fiscale_matches(code, date_of_birth=dates.get("date_of_birth")):
                problems.append(("$.codice_fiscale", mismatch, "CODICE_FISCALE_MISMATCH"))
    return problems


def _award_date_rules(award: date | None, until: date | None, now: date | datetime | None) -> list[Finding]:
    problems: list[Finding] = []
    if award is None:
        return problems
    if now is not None and _after(award, now):
        problems.append(("$.award_date", f"{award.isoformat()} is after the issuing date {_day(now).isoformat()}: "
                         "a credential cannot be issued before it is awarded (the verifier would find it not "
                         "yet valid)", "AWARD_DATE_IN_FUTURE"))
    if until is not None and until < award:
        problems.append(("$.award_date", f"{award.isoformat()} is after the credential's valid_until "
                         f"{until.isoformat()}: the credential would expire before it is awarded",
                         "VALID_UNTIL_BEFORE_AWARD"))
    return problems


def _day(when: date | datetime) -> date:
    return when.date() if isinstance(when, datetime) else when


def _after(award: date, now: date | datetime) -> bool:
    """Whether an award date (its validFrom: midnight UTC) is after the issuing time, beyond the clock skew."""
    if not isinstance(now, datetime):
        return award > now
    start = datetime.combine(award, time(0, 0), tzinfo=timezone.utc)
    return start > (now if now.tzinfo else now.replace(tzinfo=timezone.utc)) + CLOCK_SKEW


def _birth_date_rules(born: date | None, award: date | None, now: date | datetime | None) -> list[Finding]:
    if born is None:
        return []
    for when, what in ((now and _day(now), "the issuing date"), (award, "the award date")):
        if when is not None and born > when:
            return [("$.date_of_birth", f"{born.isoformat()} is after {what} {when.isoformat()}",
                     "DATE_OF_BIRTH_IN_FUTURE")]
    if award is not None:
        age = age_on(born, award)
        if not YOUNGEST <= age <= OLDEST:
            return [("$.date_of_birth", f"born {born.isoformat()}, the learner would be {age} at the award date "
                     f"{award.isoformat()} (mcred takes {YOUNGEST} to {OLDEST} as plausible)",
                     "DATE_OF_BIRTH_IMPLAUSIBLE")]
    return []


def age_on(born: date, day: date) -> int:
    """Whole years from ``born`` to ``day``."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
