"""CAMEO codes, the CAMEO-PLOVER crosswalk and country names: answers from the codebooks."""

from __future__ import annotations

import pytest

from helpers.data.coded.actors import iso3
from helpers.data.coded.codes import cameo_quad, normal_cameo, plover_to_cameo


@pytest.mark.parametrize(
    "given, code",
    [("042", "042"), ("42", "042"), ("433", "0433"), ("111", "111"), ("0311", "0311"),
     ("190", "190"), ("abc", None), ("", None), ("21", "021"), ("2", None), ("99999", None)],
)  # fmt: skip
def test_cameo_codes_keep_or_regain_their_leading_zero(given, code):
    assert normal_cameo(given) == code


@pytest.mark.parametrize(
    "category, code",
    [("AGREE", "030"), ("consult", "040"), ("AID", "070"), ("CONCEDE", "080"),
     ("RETREAT", "080"), ("SANCTION", "160"), ("FIGHT", "190"), ("CRIME", "")],
)  # fmt: skip
def test_plover_categories_cross_to_their_cameo_root(category, code):
    assert plover_to_cameo(category) == code


def test_an_unknown_plover_category_is_refused():
    with pytest.raises(KeyError):
        plover_to_cameo("HUG")


@pytest.mark.parametrize("root, quad", [(1, 1), (5, 1), (6, 2), (9, 2), (10, 3), (14, 3),
                                        (15, 4), (20, 4)])  # fmt: skip
def test_quadclass_of_a_cameo_root(root, quad):
    assert cameo_quad(root) == quad


@pytest.mark.parametrize(
    "value, code",
    [("IND", "IND"), ("India", "IND"), ("Russian Federation", "RUS"), ("Iran", "IRN"),
     ("Occupied Palestinian Territory", "PSE"), ("Turkey", "TUR"), ("AFR", ""), ("", ""),
     ("Kosovo", "")],
)  # fmt: skip
def test_country_codes_and_icews_names_to_iso_alpha3(value, code):
    assert iso3(value) == code
