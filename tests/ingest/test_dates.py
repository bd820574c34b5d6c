from __future__ import annotations

import calendar
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.ingest.dates import format_date, parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jun 10, 2024", "2024-06-10"),
        ("Sep 16, 2019", "2019-09-16"),
        ("Aug 11", "--08-11"),
        ("Dec 29", "--12-29"),
        ("September 3, 2021", "2021-09-03"),
        ("Sept 3 2021", "2021-09-03"),
        ("2024-01-08T18:47:34.000Z", "2024-01-08"),
        ("2023-08-02T00:41:18-04:00", "2023-08-02"),
        ("Mon, 2 Apr 2007 19:18:42 GMT", "2007-04-02"),
        ("10 Jun 2024", "2024-06-10"),
        ("--02-29", "--02-29"),
        ("Feb 29", "--02-29"),
    ],
)
def test_parse_date_accepts_source_forms(text: str, expected: str) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["2024", "June 2024", "Feb 30", "Feb 29, 2023", "2024-13-01", "Foo 3", "", "yesterday", None, 20240610])
def test_parse_date_never_guesses(text: object) -> None:
    assert parse_date(text) is None  # type: ignore[arg-type]


@given(st.dates(min_value=dt.date(1000, 1, 1)))
def test_full_dates_round_trip_in_every_form(day: dt.date) -> None:
    iso = day.isoformat()
    month = calendar.month_abbr[day.month]
    assert parse_date(iso) == iso
    assert parse_date(f"{month} {day.day}, {day.year}") == iso
    assert parse_date(f"{day.day} {calendar.month_name[day.month]} {day.year}") == iso
    assert parse_date(f"{iso}T12:34:56.000Z") == iso
    assert format_date(day.year, day.month, day.day) == iso


@given(st.dates())
def test_year_less_dates_keep_month_and_day(day: dt.date) -> None:
    text = f"{calendar.month_abbr[day.month]} {day.day}"
    expected = f"--{day.month:02d}-{day.day:02d}"
    assert parse_date(text) == expected
    assert parse_date(expected) == expected


@given(st.text(max_size=40))
def test_parse_date_never_raises_and_is_idempotent(text: str) -> None:
    result = parse_date(text)
    assert result is None or parse_date(result) == result
