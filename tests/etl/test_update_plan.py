"""The plan of ``wijkbeeld etl update``: gemeenten and years in, steps out (etl/update.py)."""
from __future__ import annotations

import pytest

from etl.catalog import load_catalog
from etl.errors import LoadError
from etl.update import Step, parse_gemeenten, parse_years, plan_key, plan_steps


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


class TestParseGemeenten:
    def test_repeated_and_comma_separated_codes_are_one_sorted_list(self):
        assert parse_gemeenten(["GM0177,GM0150", " gm0141 ", "GM0150"]) == ["GM0141", "GM0150", "GM0177"]

    def test_none_is_the_whole_country(self):
        assert parse_gemeenten(None) == []

    @pytest.mark.parametrize("value", ["GM150", "GM01500", "BU01500101", "GM0150;GM0177", "GM'0150"])
    def test_a_malformed_code_is_named(self, value):
        with pytest.raises(LoadError) as caught:
            parse_gemeenten([value])
        assert caught.value.problems[0].file == "--gemeente" and "not a gemeente code" in str(caught.value)


class TestParseYears:
    def test_default_is_every_year_of_the_catalogue(self, catalog):
        assert parse_years(None, catalog) == sorted(int(y) for y in catalog.sources["kerncijfers"]["tables"])

    def test_a_range_and_a_year(self, catalog):
        assert parse_years("2019-2021", catalog) == [2019, 2020, 2021]
        assert parse_years("2025", catalog) == [2025]

    @pytest.mark.parametrize("text, message", [("2024-2019", "comes after"), ("24", "expected a year"),
                                               ("2018-2019", "no kerncijfers table known for 2018")])
    def test_refused(self, catalog, text, message):
        with pytest.raises(LoadError, match=message):
            parse_years(text, catalog)


class TestPlanSteps:
    def test_boundaries_and_kerncijfers_per_year_then_rivm(self, catalog):
        steps = plan_steps(["GM0150"], [2025, 2019], catalog)
        assert steps == [Step("boundaries", 2019), Step("kerncijfers", 2019, "84583NED"),
                         Step("boundaries", 2025), Step("kerncijfers", 2025, "86165NED"),
                         Step("health", None, "50120NED")]

    def test_the_key_differs_per_gemeenten_and_years(self, catalog):
        one = plan_key(["GM0150"], plan_steps(["GM0150"], [2024], catalog))
        assert one == plan_key(["GM0150"], plan_steps(["GM0150"], [2024], catalog))
        assert one != plan_key(["GM0177"], plan_steps(["GM0177"], [2024], catalog))
        assert one != plan_key(["GM0150"], plan_steps(["GM0150"], [2023, 2024], catalog))
        assert one != plan_key([], plan_steps([], [2024], catalog))
