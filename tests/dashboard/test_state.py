from urllib.parse import parse_qs

import pytest

from dashboard.state import Available, ViewState, parse_state

AVAILABLE = Available(
    themes={"laag_inkomen": "armoede", "sociaal_minimum": "armoede", "aardgas": "energie",
            "elektriciteit": "energie", "eenzaam": "eenzaamheid"},
    years={("laag_inkomen", "buurt"): [2021, 2022, 2023], ("laag_inkomen", "wijk"): [2021, 2022, 2023, 2024],
           ("aardgas", "buurt"): [2021, 2022, 2023, 2024], ("aardgas", "wijk"): [2021, 2022, 2023, 2024],
           ("elektriciteit", "buurt"): [2022, 2023], ("eenzaam", "buurt"): [2016, 2020, 2022]},
)
FULL = ("?thema=energie&indicator=aardgas&jaar=2022&niveau=wijk&indeling=equal_interval&klassen=4&vast=1"
        "&regio=WK999901&lat=52.1&lon=5.3&zoom=13&taal=en")
DEFAULT = ViewState(theme="armoede", indicator="laag_inkomen", year=2023, level="buurt")


def query(text: str) -> dict:
    return {k: v[-1] for k, v in parse_qs(text.lstrip("?")).items()}


class TestParseState:
    def test_full_query(self):
        assert parse_state(FULL, AVAILABLE) == ViewState(
            theme="energie", indicator="aardgas", year=2022, level="wijk", scheme="equal_interval", k=4,
            fixed=True, region="WK999901", lat=52.1, lon=5.3, zoom=13, lang="en")

    def test_full_query_round_trips(self):
        state = parse_state(FULL, AVAILABLE)
        assert query(state.to_query()) == query(FULL)
        assert parse_state(state.to_query(), AVAILABLE) == state

    def test_dict_and_query_string_agree(self):
        assert parse_state(query(FULL), AVAILABLE) == parse_state(FULL, AVAILABLE)

    @pytest.mark.parametrize("empty", ["", "?", "?onbekend=1"])
    def test_empty_gives_defaults(self, empty):
        assert parse_state(empty, AVAILABLE) == DEFAULT

    def test_defaults_leave_optional_keys_out_of_the_url(self):
        assert query(DEFAULT.to_query()) == {"thema": "armoede", "indicator": "laag_inkomen", "jaar": "2023",
                                             "niveau": "buurt", "indeling": "quantiles", "klassen": "5",
                                             "taal": "nl"}

    def test_theme_only_picks_its_first_indicator(self):
        state = parse_state("?thema=energie", AVAILABLE)
        assert (state.theme, state.indicator, state.year) == ("energie", "aardgas", 2024)

    def test_theme_follows_the_indicator(self):
        state = parse_state("?thema=armoede&indicator=eenzaam", AVAILABLE)
        assert (state.theme, state.indicator) == ("eenzaamheid", "eenzaam")

    def test_year_without_data_falls_back_to_the_newest_with_data(self):
        # laag_inkomen has no buurt figures for 2024 (only wijk)
        assert parse_state("?indicator=laag_inkomen&jaar=2024&niveau=buurt", AVAILABLE).year == 2023
        assert parse_state("?indicator=laag_inkomen&jaar=2024&niveau=wijk", AVAILABLE).year == 2024
        assert parse_state("?indicator=eenzaam&jaar=2021", AVAILABLE).year == 2022

    def test_no_years_at_that_level_gives_no_year(self):
        assert parse_state("?indicator=eenzaam&niveau=gemeente", AVAILABLE).year is None

    def test_nothing_available(self):
        state = parse_state("?indicator=aardgas", Available(themes={}, years={}))
        assert state.indicator is None and state.year is None

    def test_default_indicator_missing_takes_the_first_published(self):
        available = Available(themes={"aardgas": "energie"}, years={("aardgas", "buurt"): [2023]})
        assert parse_state("", available).indicator == "aardgas"

    @pytest.mark.parametrize("value", ["1", "true", "ja"])
    def test_fixed_spellings(self, value):
        assert parse_state(f"?vast={value}", AVAILABLE).fixed is True

    @pytest.mark.parametrize("code", ["GM9999", "WK999901", "BU99990000"])
    def test_region_codes_of_each_level(self, code):
        assert parse_state(f"?regio={code}", AVAILABLE).region == code

    @pytest.mark.parametrize("lat,lon", [("50.5", "3.0"), ("54.0", "7.5"), ("52.123456789", "5.0")])
    def test_position_inside_nl(self, lat, lon):
        state = parse_state(f"?lat={lat}&lon={lon}", AVAILABLE)
        assert state.lat == round(float(lat), 5) and state.lon == round(float(lon), 5)

    def test_last_value_of_a_repeated_key_wins(self):
        assert parse_state("?klassen=3&klassen=6", AVAILABLE).k == 6


HOSTILE = ["' OR 1=1 --", "../../etc/passwd", "1; DROP TABLE observations", "<script>alert(1)</script>",
           "%00", "9" * 400, "-1", "1e308", "NaN", "inf", "", " ", "null", "None", "[]", "{}"]


class TestUnknownValuesFallBack:
    @pytest.mark.parametrize("bad", HOSTILE)
    @pytest.mark.parametrize("key", ["thema", "indicator", "jaar", "niveau", "indeling", "klassen", "regio",
                                     "lat", "lon", "zoom", "taal", "vast"])
    def test_hostile_value_gives_the_default(self, key, bad):
        assert parse_state({key: bad}, AVAILABLE) == DEFAULT

    @pytest.mark.parametrize("key,value", [
        ("indicator", "LAAG_INKOMEN"), ("indicator", "inwoners"), ("niveau", "land"), ("niveau", "provincie"),
        ("indeling", "jenks"), ("indeling", "Quantiles"), ("klassen", "2"), ("klassen", "8"), ("klassen", "5.0"),
        ("jaar", "1999"), ("jaar", "2023.0"), ("jaar", str(10 ** 30)), ("zoom", "5"), ("zoom", "19"),
        ("zoom", str(10 ** 30)), ("taal", "de"), ("taal", "EN"),
        ("regio", "BU123"), ("regio", "bu99990000"), ("regio", "XX99990000"), ("regio", "BU99990000 OR 1=1"),
        ("lat", "48.85"), ("lat", "91"), ("lon", "2.35"), ("lon", "-5.3"), ("lat", "1e308"),
    ])
    def test_unknown_gives_the_default(self, key, value):
        assert parse_state({key: value}, AVAILABLE) == DEFAULT

    def test_position_outside_nl_is_dropped_but_zoom_kept(self):
        state = parse_state("?lat=48.85&lon=2.35&zoom=12", AVAILABLE)
        assert (state.lat, state.lon, state.zoom) == (None, None, 12)

    @pytest.mark.parametrize("code", ["BU99990000\n", "BU٩٩٩٩٠٠٠٠", " BU99990000", "BU99990000BU99990001"])
    def test_region_code_must_match_exactly(self, code):
        assert parse_state({"regio": code}, AVAILABLE).region is None

    def test_hostile_url_round_trips_to_a_clean_url(self):
        state = parse_state("?indicator=' OR 1=1 --&regio=../../etc/passwd&klassen=99999999999999999999", AVAILABLE)
        assert state == DEFAULT
        assert "OR" not in state.to_query() and "passwd" not in state.to_query()
