import warnings

import mapclassify
import numpy as np
import pytest

from geo.classify import K_RANGE, PALETTES, SCHEMES, class_breaks, classify, palette

# 40 skewed values, all distinct: every scheme gives k distinct breaks
VALUES = [round(float(v), 3) for v in np.random.default_rng(7).gamma(2.0, 8.0, 40)]


def mapclassify_bins(values, scheme, k):
    classifier = {"quantiles": mapclassify.Quantiles, "equal_interval": mapclassify.EqualInterval,
                  "natural_breaks": mapclassify.FisherJenks}[scheme]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Numba not installed"
        return sorted({float(b) for b in classifier(np.asarray(values), k=k).bins})


class TestClassBreaks:
    @pytest.mark.parametrize("scheme", SCHEMES)
    @pytest.mark.parametrize("k", K_RANGE)
    def test_matches_mapclassify(self, scheme, k):
        assert class_breaks(VALUES, scheme, k) == pytest.approx(mapclassify_bins(VALUES, scheme, k))

    @pytest.mark.parametrize("scheme", SCHEMES)
    def test_last_break_is_the_maximum(self, scheme):
        assert class_breaks(VALUES, scheme, 5)[-1] == pytest.approx(max(VALUES))

    def test_missing_values_are_left_out(self):
        assert class_breaks([*VALUES, None, float("nan")], "quantiles", 5) == class_breaks(VALUES, "quantiles", 5)

    @pytest.mark.parametrize("scheme", SCHEMES)
    def test_fewer_distinct_values_than_k_gives_one_class_each(self, scheme):
        assert class_breaks([3, 1, 3, 2, 1, 2], scheme, 5) == [1.0, 2.0, 3.0]

    def test_one_value(self):
        assert class_breaks([5, 5, 5], "quantiles", 5) == [5.0]

    def test_nothing_to_classify(self):
        assert class_breaks([], "quantiles", 5) == []
        assert class_breaks([None, None], "equal_interval", 3) == []

    def test_natural_breaks_on_many_values_is_deterministic_and_ends_at_the_maximum(self, monkeypatch):
        # the sampled path, with a small limit: FisherJenks without numba takes ~2.5 s on 1500 values
        monkeypatch.setattr("geo.classify.EXACT_LIMIT", 100)
        many = np.random.default_rng(1).normal(50, 10, 300).tolist()
        breaks = class_breaks(many, "natural_breaks", 5)
        np.random.seed(12345)   # whatever state numpy's global generator is in
        assert breaks == class_breaks(many, "natural_breaks", 5)
        assert len(breaks) == 5 and breaks[-1] == pytest.approx(max(many))

    def test_natural_breaks_on_many_values_is_mapclassify_fisher_jenks_sampled(self, monkeypatch):
        monkeypatch.setattr("geo.classify.EXACT_LIMIT", 100)
        many = np.random.default_rng(1).normal(50, 10, 300)
        state = np.random.get_state()
        np.random.seed(0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expected = mapclassify.FisherJenksSampled(many, k=5, pct=100 / 300, truncate=False).bins
        np.random.set_state(state)
        assert class_breaks(many.tolist(), "natural_breaks", 5) == pytest.approx(sorted(expected))
        after = np.random.get_state()
        assert after[1].tolist() == state[1].tolist() and after[2] == state[2], "numpy's global state is left as it was"

    @pytest.mark.parametrize("scheme", ["jenks", "Quantiles", "", "quantiles; DROP TABLE x"])
    def test_unknown_scheme_raises_naming_the_allowed_ones(self, scheme):
        with pytest.raises(ValueError) as error:
            class_breaks(VALUES, scheme, 5)
        assert repr(scheme) in str(error.value)
        assert all(s in str(error.value) for s in SCHEMES)

    @pytest.mark.parametrize("k", [0, 2, 8, -1, 5.5, "5"])
    def test_k_out_of_range_raises_naming_the_range(self, k):
        with pytest.raises(ValueError, match=r"3\.\.7"):
            class_breaks(VALUES, "quantiles", k)


class TestClassify:
    def test_value_equal_to_a_break_falls_in_the_lower_class(self):
        assert classify([4.0, 7.0, 10.0], [4.0, 7.0, 10.0]) == [0, 1, 2]

    def test_just_above_a_break_falls_in_the_next_class(self):
        assert classify([4.0001, 7.0001], [4.0, 7.0, 10.0]) == [1, 2]

    def test_below_the_first_and_above_the_last_break_clamp(self):
        # fixed breaks computed from other years may not span this year's values
        assert classify([-5.0, 99.0], [4.0, 7.0, 10.0]) == [0, 2]

    def test_none_stays_none(self):
        assert classify([None, 5.0], [4.0, 7.0, 10.0]) == [None, 1]

    def test_no_breaks(self):
        assert classify([1.0, None], []) == [None, None]

    @pytest.mark.parametrize("scheme", SCHEMES)
    def test_agrees_with_mapclassify_yb(self, scheme):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            classifier = {"quantiles": mapclassify.Quantiles, "equal_interval": mapclassify.EqualInterval,
                          "natural_breaks": mapclassify.FisherJenks}[scheme](np.asarray(VALUES), k=5)
        assert classify(VALUES, class_breaks(VALUES, scheme, 5)) == classifier.yb.tolist()


class TestPalette:
    @pytest.mark.parametrize("name", PALETTES)
    @pytest.mark.parametrize("k", K_RANGE)
    def test_k_distinct_colours(self, name, k):
        colours = palette(k, name)
        assert len(colours) == k == len(set(colours))
        assert all(c.startswith("#") and len(c) == 7 for c in colours)

    @pytest.mark.parametrize("k", [1, 2])
    def test_fewer_classes_than_three(self, k):
        colours = palette(k)
        assert len(colours) == k == len(set(colours))

    @pytest.mark.parametrize("k", K_RANGE)
    def test_light_to_dark(self, k):
        def luminance(colour):
            r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
            return 0.2126 * r + 0.7152 * g + 0.0722 * b

        lum = [luminance(c) for c in palette(k)]
        assert lum == sorted(lum, reverse=True)

    def test_unknown_palette_raises(self):
        with pytest.raises(ValueError, match="YlGnBu"):
            palette(5, "Rainbow")
