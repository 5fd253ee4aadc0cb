"""Countries by ISO code or by English or French name."""

from __future__ import annotations

import pytest

from tocsin.errors import InputError
from tocsin.geo.countries import country_code, country_name, find_country, iso_numeric


def test_codes_and_names_in_english_and_french() -> None:
    assert country_code("Tchad") == country_code("chad") == country_code("TCD") == "TD"
    assert country_code("cote d’ivoire") == "CI" and country_code("ml") == "ML"
    found = find_country("466")
    assert found is not None and found.alpha2 == "ML" and found.name == "Mali"
    assert country_name("SN", "fr") == "Sénégal" and country_name("BO") == "Bolivia"
    assert country_name("XX") == "XX" and iso_numeric("ml") == "466" and iso_numeric("XX") is None


def test_unknown_country_says_what_to_give() -> None:
    with pytest.raises(InputError, match="ISO 3166"):
        country_code("Narnia")
