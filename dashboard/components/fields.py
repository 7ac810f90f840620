"""A labelled field, and the words Dash's dropdown writes itself: shared by every control beside the map."""
from __future__ import annotations

from dash import html

from dashboard.text import t


def field(label_text: str, control, for_id: str):
    return html.Div([html.Label(label_text, htmlFor=for_id, className="field-label"), control], className="field")


DROPDOWN_WORDS = {"search": "page.dropdown_search", "clear_search": "page.dropdown_clear_search",
                  "clear_selection": "page.dropdown_clear_selection",
                  "no_options_found": "page.dropdown_no_options_found"}


def dropdown_words(lang: str) -> dict:
    """The words Dash's dropdown writes itself (its search box, clear buttons), in the page's language."""
    return {key: t(word, lang) for key, word in DROPDOWN_WORDS.items()}
