import pytest
from django.core.exceptions import ValidationError

from countries.codes import country_code_clean, country_search


@pytest.mark.parametrize("code", ["PY", "py", "Py", "bR", "co", "XK", "xk"])
def test_a_real_country_code_in_any_case_is_accepted_upper_case(code):
    assert country_code_clean(code) == code.upper()


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("C2", "'C2' is not a country code: Two letters, an ISO 3166-1 alpha-2 country code"),
        ("COL", "is not a country code"),
        ("C", "is not a country code"),
        ("", "Give a country code"),
        ("ÑA", "is not a country code"),
        ("P\u00dd", "is not a country code"),
        ("QQ", "'QQ' is not a country code: Two letters, an ISO 3166-1 alpha-2 country code"),
        ("qq", "'qq' is not a country code: Two letters, an ISO 3166-1 alpha-2 country code"),
        ("AA", "'AA' is not a country code: Two letters, an ISO 3166-1 alpha-2 country code"),
        (12, "Give a country code"),
        (None, "Give a country code"),
    ],
)
def test_anything_but_an_assigned_alpha_2_code_is_refused_with_a_clear_message(code, message):
    with pytest.raises(ValidationError) as refused:
        country_code_clean(code)

    assert message in " ".join(refused.value.messages)
    assert list(refused.value.error_dict) == ["code"]


def test_search_finds_a_country_by_code_alpha_3_or_part_of_its_name_accents_ignored():
    assert [c.code for c in country_search("py")] == ["PY"]
    assert [c.code for c in country_search("PRY")] == ["PY"]
    assert "PY" in [c.code for c in country_search("paragu")]
    assert "CI" in [c.code for c in country_search("cote d")]  # Côte d'Ivoire
    assert "CO" in [c.code for c in country_search("Colombia")]
    assert country_search("   ") == []
    assert country_search("zzzzqq") == []


def test_searching_united_lists_the_countries_named_so_before_official_names_and_partial_matches():
    found = [c.code for c in country_search("united")]

    assert found[:4] == [
        "AE",
        "GB",
        "US",
        "UM",
    ]  # United Arab Emirates, Kingdom, States, ... Outlying Islands
    assert (
        found.index("GB") < found.index("MX") < found.index("TZ")
    )  # "United Mexican States", "... of Tanzania"


def test_kosovo_is_accepted_as_rest_countries_serves_it():
    assert [c.code for c in country_search("kosovo")] == ["XK"]
    assert country_code_clean("xk") == "XK"


def test_a_country_has_its_flag_emoji():
    (paraguay,) = country_search("PY")
    assert paraguay.flag == "\U0001f1f5\U0001f1fe"


def test_the_codes_are_pycountrys_own_list():
    import pycountry

    from countries.codes import _countries

    assert set(_countries()) == {country.alpha_2 for country in pycountry.countries} | {"XK"}
    assert (
        _countries()["BO"].name == "Bolivia"
    )  # pycountry's common name, not "Bolivia, Plurinational State of"
