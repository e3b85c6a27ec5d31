"""The plain-text part of an email, from the HTML of its Markdown (delivery/plain_text.py)."""

from __future__ import annotations

from advocacy.compose.markdown import NO_BREAK, URL_BREAK, to_html
from advocacy.delivery.plain_text import to_text


def text_of(markdown: str) -> str:
    return to_text(to_html(markdown))


def test_headings_are_their_own_paragraphs() -> None:
    assert text_of("# Release them\n\nThey were arrested.\n\n## What we ask\nFree them.\n") == \
        "Release them\n\nThey were arrested.\n\nWhat we ask\n\nFree them.\n"


def test_bullet_numbered_and_nested_lists() -> None:
    markdown = "Asks:\n\n- release\n- drop charges\n  - all of them\n\n3. third\n4. fourth\n"
    assert text_of(markdown) == ("Asks:\n\n- release\n- drop charges\n   - all of them\n\n"
                                 "3. third\n4. fourth\n")


def test_link_keeps_its_text_and_its_address() -> None:
    text = text_of("See [the UN report](https://www.ohchr.org/en/documents/a-hrc-48-79?x=1).")
    assert text == "See the UN report <https://www.ohchr.org/en/documents/a-hrc-48-79?x=1>.\n"


def test_bare_url_and_email_are_written_once_without_break_marks() -> None:
    text = text_of("Read https://example.org/long-path/to/report or write to a@example.org.")
    assert text == ("Read https://example.org/long-path/to/report or write to "
                    "a@example.org.\n")
    assert URL_BREAK not in text and NO_BREAK not in text


def test_footnote_is_written_where_it_is_cited() -> None:
    text = text_of("They were detained.[^1] Then tried.\n\n[^1]: Amnesty, 2021, p. 4.\n")
    assert text == "They were detained. [Amnesty, 2021, p. 4.] Then tried.\n"


def test_emphasis_keeps_its_words_without_markup() -> None:
    text = text_of("We *urge* you to act **now**, and _today_.")
    assert text == "We urge you to act now, and today.\n"


def test_no_break_spaces_are_kept() -> None:
    # U+00A0 in "10 000" and "Art. 19", U+202F before French punctuation: a line must
    # not break there in the reader's mail program either.
    text = text_of("Some 10\u00a0000 people; Art.\u00a019; « Libérez-les\u202f! »\n")
    assert text == "Some 10\u00a0000 people; Art.\u00a019; « Libérez-les\u202f! »\n"


def test_quote_and_line_break() -> None:
    assert text_of("> They said:\n> no.\n\nEnd,  \nUs\n") == "> They said: no.\n\nEnd,\nUs\n"
