"""Organisation identifiers as an eIDAS seal certificate writes them, compared with what an ELM issuer claims.

A qualified seal certificate names its organisation in ``organizationIdentifier``
(OID 2.5.4.97) in the form of ETSI EN 319 412-1, 5.1.4: a 3-letter type of
identifier (``NTR`` a national trade register, ``VAT``, ``PSD`` a payment
service provider, ``LEI``), the 2-letter ISO 3166-1 country, ``-``, the
identifier itself: ``NTREE-17207834``. (A national scheme writes 2 letters
and a colon in place of the type: ``AB:FR-…``; an LEI is global, country ``XG``.)

An ELM credential's issuer writes its ``eIDASIdentifier`` (a ``LegalIdentifier``)
either in that same form (``notation: "VATIT-…"``, as mcred does) or as the bare
number with its country apart (``notation: "17207834"``, ``spatial: …/country/EST``,
as EDC does), sometimes with a ``schemeName``. :func:`same_organisation`
compares the parts, so that neither form passes for another organisation's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: ETSI EN 319 412-1, 5.1.4: the types of identifier a legal person's certificate may carry
ETSI_TYPES = {"NTR": "national trade register", "VAT": "VAT number", "PSD": "payment service provider",
              "LEI": "legal entity identifier"}

_ETSI = re.compile(r"^(?P<type>[A-Z]{3}|[A-Z]{2}:)(?P<country>[A-Z]{2})-(?P<identifier>\S.*)$")

#: ISO 3166-1 alpha-3 -> alpha-2 of the countries whose trust services issue eIDAS seals (EU, EEA, EFTA,
#: candidates and neighbours): the EU's country authority table (publications.europa.eu/…/country/EST),
#: which ELM uses, is keyed by alpha-3; a certificate writes alpha-2. A country outside this table is
#: said to be unknown, never guessed.
ALPHA3_TO_ALPHA2 = {
    "ALB": "AL", "AND": "AD", "ARM": "AM", "AUT": "AT", "AZE": "AZ", "BEL": "BE", "BGR": "BG", "BIH": "BA",
    "BLR": "BY", "CHE": "CH", "CYP": "CY", "CZE": "CZ", "DEU": "DE", "DNK": "DK", "ESP": "ES", "EST": "EE",
    "FIN": "FI", "FRA": "FR", "FRO": "FO", "GBR": "GB", "GEO": "GE", "GIB": "GI", "GRC": "GR", "HRV": "HR",
    "HUN": "HU", "IRL": "IE", "ISL": "IS", "ITA": "IT", "LIE": "LI", "LTU": "LT", "LUX": "LU", "LVA": "LV",
    "MCO": "MC", "MDA": "MD", "MKD": "MK", "MLT": "MT", "MNE": "ME", "NLD": "NL", "NOR": "NO", "POL": "PL",
    "PRT": "PT", "ROU": "RO", "RUS": "RU", "SMR": "SM", "SRB": "RS", "SVK": "SK", "SVN": "SI", "SWE": "SE",
    "TUR": "TR", "UKR": "UA", "VAT": "VA", "XKX": "XK", "USA": "US", "CAN": "CA",
}
#: VAT numbers (and so VAT-type identifiers) write Greece as EL, not its ISO code GR
_SAME_COUNTRY = {"EL": "GR"}


@dataclass(frozen=True)
class EtsiIdentifier:
    """An ``organizationIdentifier`` in the ETSI form: type, country, identifier."""

    type: str
    country: str
    identifier: str

    def __str__(self) -> str:
        return f"{self.type}{self.country}-{self.identifier}"


@dataclass(frozen=True)
class ClaimedIdentifier:
    """An ELM issuer's eIDAS identifier: its notation, the country it names (alpha-2 or alpha-3), its scheme."""

    notation: str
    country: str | None = None
    scheme: str | None = None


def parse_etsi(value: str) -> EtsiIdentifier | None:
    """The parts of an ETSI EN 319 412-1 identifier; None when ``value`` is not in that form."""
    match = _ETSI.match(value.strip())
    if match is None:
        return None
    kind = match["type"]
    if not kind.endswith(":") and kind not in ETSI_TYPES:
        return None
    return EtsiIdentifier(kind, match["country"], match["identifier"])


def country_code(value: str | None) -> str | None:
    """An alpha-2 country code from an alpha-2 or alpha-3 code or a country authority IRI; None if unknown."""
    if not value:
        return None
    code = value.rstrip("/").rsplit("/", 1)[-1].upper()
    if len(code) == 3:
        return ALPHA3_TO_ALPHA2.get(code)
    return _SAME_COUNTRY.get(code, code) if len(code) == 2 and code.isalpha() else None


def _scheme_type(scheme: str | None) -> str | None:
    """The ETSI type a schemeName names (``VAT``, ``NTR``, …), or None when it names none of them."""
    if not scheme:
        return None
    word = scheme.strip().upper()
    return word if word in ETSI_TYPES else None


@dataclass(frozen=True)
class Comparison:
    """The answer of :func:`same_organisation`: True, False or None (cannot be told), and why in English and Italian."""

    same: bool | None
    reason: str
    reason_it: str


def same_organisation(certificate: str, claimed: ClaimedIdentifier) -> Comparison:
    """Whether the certificate's identifier and the credential's name one organisation, and why.

    True: the same type (when the credential states one), country and identifier. False: they
    differ, and the reason names the part. None: it cannot be told (the credential gives the bare
    number with no country mcred knows).
    """
    if certificate.strip() == claimed.notation.strip():
        return Comparison(True, "the same identifier", "lo stesso identificativo")
    cert = parse_etsi(certificate)
    if cert is None:
        return Comparison(False, f"{certificate!r} is not {claimed.notation!r}",
                          f"{certificate!r} non è {claimed.notation!r}")
    stated = parse_etsi(claimed.notation)
    if stated is not None:  # both in the ETSI form, and not the same text: which part differs
        kind, country, number = stated.type, country_code(stated.country), stated.identifier
    else:
        kind, country, number = _scheme_type(claimed.scheme), country_code(claimed.country), claimed.notation.strip()
        if country is None and cert.country != "XG":
            if claimed.country:
                return Comparison(None, f"the identifier {number!r} may be {certificate}, but its country "
                                  f"{claimed.country!r} is not one mcred knows",
                                  f"l'identificativo {number!r} potrebbe essere {certificate}, ma mcred non "
                                  f"conosce il suo paese {claimed.country!r}")
            return Comparison(None, f"the identifier {number!r} may be {certificate}, but the credential states "
                              "no country for it", f"l'identificativo {number!r} potrebbe essere {certificate}, "
                              "ma la credenziale non ne indica il paese")
    if number != cert.identifier:
        return Comparison(False, f"identifier {number!r} is not the certificate's {cert.identifier!r}",
                          f"l'identificativo {number!r} non è quello del certificato, {cert.identifier!r}")
    if cert.country != "XG" and country != country_code(cert.country):
        return Comparison(False, f"country {country or '?'} is not the certificate's {cert.country}",
                          f"il paese {country or '?'} non è quello del certificato, {cert.country}")
    if kind is not None and kind != cert.type:
        return Comparison(False, f"type {kind} is not the certificate's {cert.type}",
                          f"il tipo {kind} non è quello del certificato, {cert.type}")
    return Comparison(True, f"{number} in {cert.country} is {certificate}",
                      f"{number} in {cert.country} è {certificate}")
