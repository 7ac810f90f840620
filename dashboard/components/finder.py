"""Finding a figure among a few hundred: a search over every indicator by name, theme and CBS group, what the
chosen one means, and a link to the whole catalogue by theme and CBS group (``/cijfers``)."""
from __future__ import annotations

from dash import dcc, html

from dashboard import ids, urls
from dashboard.components.fields import dropdown_words, field
from dashboard.present.catalogue import finder_options
from dashboard.text import t


def finder(indicators: list[dict], lang: str):
    """The finder, with its choices in a store: the dropdown gets those matching what is typed
    (assets/wijkbeeld.js ``findFigures``). Handed every choice, Dash's dropdown indexes every substring of their
    words when the page starts: ~0.8 s of a desktop's first view, ~3.3 s of a phone's."""
    return html.Div([
        field(t("catalogue.finder", lang), dcc.Dropdown(
            id=ids.FINDER, options=[], value=None, searchable=True, clearable=True, labels=dropdown_words(lang),
            placeholder=t("catalogue.finder_placeholder", lang)), ids.FINDER),
        dcc.Store(id=ids.FINDER_CHOICES, data=finder_options(indicators, lang)),
    ])


def about_lines(lines: list[tuple[str, str]]) -> list:
    """(term, description) lines as the children of a description list."""
    return [part for term, text in lines for part in (html.Dt(term), html.Dd(text))]


def about_panel(lines: list[tuple[str, str]], lang: str):
    """What the chosen figure means, folded under its choice; and the way to every figure."""
    return html.Div([
        html.Details([html.Summary(t("catalogue.about", lang)), html.Dl(about_lines(lines), id=ids.ABOUT)],
                     className="about-figure"),
        html.A(t("catalogue.all", lang), href=urls.catalogue_url(lang), id=ids.CATALOGUE_LINK,
               className="catalogue-link"),
    ])
