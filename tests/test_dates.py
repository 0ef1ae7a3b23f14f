"""An article's date from its metadata, dateline or file name (geo/core/dates.py)."""

from __future__ import annotations

import pytest

from geo.core.dates import (
    article_date,
    date_in_text,
    dateline_date,
    file_name_date,
    metadata_date,
)


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("LIMA, June 7, 2022 (Wire) - The council met.", "2022-06-07"),
        ("Posted 2021-11-30T18:04:00Z by the desk", "2021-11-30"),
        ("Oslo, 3rd of May 2020: fishermen protested.", "2020-05-03"),
        ("Sept. 9, 2019 — a storm reached the coast.", "2019-09-09"),
        ("الرباط - 14 فبراير/شباط 2024 (خاص)", "2024-02-14"),
        ("عمّان في ٢ تشرين الثاني ٢٠٢٢", "2022-11-02"),
        ("تونس 12 جانفي 2021", "2021-01-12"),
        ("2023/4/9 بغداد", "2023-04-09"),
    ],
)
def test_full_dates_in_english_and_arabic(text: str, date: str) -> None:
    assert date_in_text(text) == date


@pytest.mark.parametrize(
    "text",
    [
        "CAIRO, March 5 (Wire) - no year given",  # a year would be a guess
        "2024-02-31 is not a day",
        "Mays 5, 2024 and 5 Mayor 2024",  # month names only as whole words
        "order number 20240305",  # a bare number in text is not a date
    ],
)
def test_no_date_rather_than_a_guess(text: str) -> None:
    assert date_in_text(text) == ""


def test_dateline_is_only_the_top_of_the_article() -> None:
    body = "Report\n" + "Officials spoke at length. " * 20 + "The treaty of March 1, 1999 was cited."
    assert dateline_date(body) == ""
    assert dateline_date("BERLIN, March 1, 2023 - " + body) == "2023-03-01"


@pytest.mark.parametrize(
    ("name", "date"),
    [("2024-03-05_cairo.txt", "2024-03-05"), ("wire_20240305.txt", "2024-03-05"), ("2024_03_05.txt", "2024-03-05"),
     ("story_123456789.txt", ""), ("2024-13-01.txt", ""), ("2024-0305.txt", "")],
)  # fmt: skip
def test_file_name_dates(name: str, date: str) -> None:
    assert file_name_date(name) == date


def test_metadata_first_then_dateline_then_name() -> None:
    text = "PARIS, May 2, 2022 - talks."
    assert article_date(text, "2020-01-01_a.txt", {"published": "2023-07-08T10:00:00+02:00"}) == "2023-07-08"
    assert article_date(text, "2020-01-01_a.txt", {"title": "no date here"}) == "2022-05-02"
    assert article_date("Report\ntalks.", "2020-01-01_a.txt", None) == "2020-01-01"
    assert article_date("Report\ntalks.", "a.txt", {"date": 20200101}) == ""
    assert metadata_date({"date": "", "datePublished": "9 March 2021"}) == "2021-03-09"
