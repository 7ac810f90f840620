"""The one text layer: every word in dashboard/words.toml, in Dutch and English, and every word used."""
import re
from datetime import date
from pathlib import Path

import pytest

from dashboard import text
from dashboard.text import INITIATIVE_THEMES, STATUSES, date_text, label, load_words, number, percent, t, words
from etl.catalog import THEMES
from etl.sources.spreadsheet import columns_config
from geo.classify import SCHEMES

DASHBOARD = Path(text.__file__).parent
SOURCES = [*DASHBOARD.rglob("*.py"), *DASHBOARD.glob("templates/*.html")]
# a key written out in full, in Python or a template: t("group.key" …), or in a tuple or dict of keys
# (not a template's name)
GROUPS = "common|figure|page|profile|briefing|compare|agenda|outcome|quality|residents|plain|a11y|edit|catalogue"
KEY = re.compile(rf"""["']((?:{GROUPS})\.(?!html\b)[a-z_]+)["']""")
# groups whose words name values from the data, looked up with label(group, value, lang)
DATA_GROUPS = {"level", "theme", "status", "track", "direction", "scheme", "field", "change"}


def used_keys() -> set[str]:
    return {key for path in SOURCES for key in KEY.findall(path.read_text(encoding="utf-8"))}


class TestCatalogue:
    def test_every_key_the_code_names_is_in_the_catalogue(self):
        assert used_keys() - set(words()) == set()

    def test_every_word_in_the_catalogue_is_used(self):
        unused = {k for k in words() if k.split(".")[0] not in DATA_GROUPS} - used_keys()
        assert unused == set()

    def test_every_word_has_dutch_and_english(self):
        assert all(set(entry) == {"nl", "en"} and all(entry.values()) for entry in words().values())

    @pytest.mark.parametrize("group, values", [("status", STATUSES), ("theme", INITIATIVE_THEMES),
                                               ("theme", THEMES), ("scheme", SCHEMES),
                                               ("level", ("gemeente", "wijk", "buurt", "land"))])
    def test_every_value_from_the_data_has_a_word(self, group, values):
        assert [v for v in values if f"{group}.{v}" not in words()] == []

    def test_a_word_missing_a_language_is_refused(self, tmp_path):
        path = tmp_path / "words.toml"
        path.write_text('[page]\ntitle = { nl = "wijkbeeld" }\n', encoding="utf-8")
        with pytest.raises(ValueError, match="page.title"):
            load_words(path)

    def test_languages_with_other_placeholders_are_refused(self, tmp_path):
        path = tmp_path / "words.toml"
        path.write_text('[page]\nmade = { nl = "Gemaakt op {date}", en = "Made on {day}" }\n', encoding="utf-8")
        with pytest.raises(ValueError, match="page.made"):
            load_words(path)


class TestStatuses:
    def test_read_from_the_one_declaration(self):
        assert STATUSES == tuple(columns_config()["statuses"])
        assert INITIATIVE_THEMES == tuple(columns_config()["themes"])


class TestT:
    def test_dutch_is_the_default(self):
        assert t("page.tagline", "fr") == t("page.tagline", "nl") == "Eén beeld van de wijk"
        assert t("page.tagline", "en") == "One picture of the neighbourhood"

    def test_placeholders(self):
        assert t("briefing.made", "en", date="1 Jan 2025") == "Made on 1 Jan 2025"

    def test_an_unknown_key_is_an_error(self):
        with pytest.raises(KeyError):
            t("page.no_such_word", "nl")


class TestLabel:
    def test_a_value_with_a_word(self):
        assert label("status", "afgerond", "en") == "done" and label("level", "wijk", "nl") == "Wijk"

    def test_a_value_without_a_word_is_shown_as_it_is(self):
        assert label("theme", "sport", "nl") == "sport" and label("theme", None, "nl") == ""


class TestNumbers:
    def test_dutch_and_english(self):
        assert (number(1234567.891, "nl", 2), number(1234567.891, "en", 2)) == ("1.234.567,89", "1,234,567.89")

    def test_percent_from_points(self):
        assert (percent(12.5, "nl", 1), percent(12.5, "en", 1), percent(100, "nl")) == ("12,5%", "12.5%", "100%")

    def test_dates(self):
        assert date_text(date(2023, 9, 1), "nl") == "1 sep 2023" and date_text(date(2023, 3, 1), "en") == "1 Mar 2023"
        assert date_text(date(2023, 3, 1), "nl") == "1 mrt 2023"
