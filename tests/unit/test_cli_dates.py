"""Days typed on the command line: one reading, one sentence for a bad one."""

import argparse
import datetime as dt

import pytest

from hall.cli import CliError
from hall.cli_dates import day_arg, day_option, day_required, parse_day


def test_a_day_is_read_in_iso_form():
    assert parse_day("2026-03-09") == dt.date(2026, 3, 9)
    assert day_arg("2026-03-09") == day_option("2026-03-09") == dt.date(2026, 3, 9)


@pytest.mark.parametrize("text", ["2026-13-01", "明天", "9/3/2026", ""])
def test_a_bad_day_says_what_was_typed_and_the_form_expected(text):
    sentence = f"日期“{text}”格式不正确，应为 YYYY-MM-DD"
    with pytest.raises(ValueError, match=f"^{sentence}$"):
        parse_day(text)
    with pytest.raises(argparse.ArgumentTypeError, match=f"^{sentence}$"):
        day_arg(text)


def test_an_optional_day_not_given_is_none_and_a_bad_one_a_command_error():
    assert day_option(None) is None and day_option("") is None
    with pytest.raises(CliError, match="^日期“2026-02-30”格式不正确，应为 YYYY-MM-DD$"):
        day_option("2026-02-30")


@pytest.mark.parametrize("text", ["", "2026-02-30"])
def test_a_required_day_left_empty_or_bad_is_a_command_error_not_today(text):
    assert day_required("2026-03-09") == dt.date(2026, 3, 9)
    with pytest.raises(CliError, match=f"^日期“{text}”格式不正确，应为 YYYY-MM-DD$"):
        day_required(text)


def test_the_parser_reports_a_bad_day_as_a_usage_error(capsys):
    from hall.cli import main

    with pytest.raises(SystemExit) as exit_:
        main(["stats", "--from", "2026-1-1", "--to", "2026-02-01"])
    assert exit_.value.code == 2
    assert "日期“2026-1-1”格式不正确，应为 YYYY-MM-DD" in capsys.readouterr().err
