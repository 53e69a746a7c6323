"""ETSI EN 319 412-1 organisation identifiers against ELM's eIDASIdentifier: the parts, not the text."""

from __future__ import annotations

import pytest

from mcred.seals.identifiers import ClaimedIdentifier, country_code, parse_etsi, same_organisation

EST = "http://publications.europa.eu/resource/authority/country/EST"


def test_the_etsi_form_is_read_into_type_country_and_identifier():
    parsed = parse_etsi("NTREE-17207834")
    assert (parsed.type, parsed.country, parsed.identifier) == ("NTR", "EE", "17207834")
    assert str(parsed) == "NTREE-17207834"
    assert parse_etsi("VATIT-00000000000").type == "VAT"
    assert parse_etsi("AB:FR-12345").type == "AB:"  # a national scheme: two letters and a colon
    for other in ("17207834", "XYZEE-1", "NTR-EE-1", "NTREE-", "ntree-17207834", ""):
        assert parse_etsi(other) is None, other


def test_countries_are_read_as_alpha_2_from_alpha_3_codes_and_iris():
    assert country_code(EST) == "EE" and country_code("ITA") == "IT" and country_code("EE") == "EE"
    assert country_code("EL") == "GR"  # VAT numbers write Greece as EL
    assert country_code("ZZZ") is None and country_code(None) is None and country_code("E1") is None


def test_edc_writes_the_bare_number_with_its_country_and_that_is_the_certificate():
    answer = same_organisation("NTREE-17207834", ClaimedIdentifier("17207834", EST))
    assert answer.same is True and "EE" in answer.reason


def test_the_same_text_matches_and_an_etsi_notation_is_compared_part_by_part():
    assert same_organisation("VATIT-00000000000", ClaimedIdentifier("VATIT-00000000000")).same is True
    assert same_organisation("VATEL-123", ClaimedIdentifier("VATGR-123")).same is True


@pytest.mark.parametrize("claimed,part", [
    (ClaimedIdentifier("17207834", "http://publications.europa.eu/resource/authority/country/LVA"), "country"),
    (ClaimedIdentifier("17207835", EST), "identifier"),
    (ClaimedIdentifier("17207834", EST, scheme="VAT"), "type"),
    (ClaimedIdentifier("VATEE-17207834"), "type"),
    (ClaimedIdentifier("NTRLV-17207834"), "country"),
    (ClaimedIdentifier("NTREE-17207835"), "identifier"),
])
def test_another_country_number_or_type_is_another_organisation(claimed, part):
    answer = same_organisation("NTREE-17207834", claimed)
    assert answer.same is False and answer.reason.startswith(part), answer.reason
    assert answer.reason_it


def test_a_bare_number_with_no_country_or_an_unknown_one_cannot_be_told():
    assert same_organisation("NTREE-17207834", ClaimedIdentifier("17207834")).same is None
    assert same_organisation("NTREE-17207834", ClaimedIdentifier("17207834", "ZZZ")).same is None


def test_a_certificate_value_not_in_the_etsi_form_must_be_the_same_text():
    assert same_organisation("17207834", ClaimedIdentifier("17207834", EST)).same is True
    assert same_organisation("EE17207834", ClaimedIdentifier("17207834", EST)).same is False


def test_an_lei_is_global_and_needs_no_country():
    assert same_organisation("LEIXG-5299000J2N45DDNE4Y28",
                             ClaimedIdentifier("5299000J2N45DDNE4Y28", scheme="LEI")).same is True
