from decimal import Decimal

import pytest

from prices.parsing import UnreadableAnswer, parse_price, parse_rows, parse_week
from tests.prices.factories import MONDAY, row, weeks_back


def test_it_orders_rows_by_date_whatever_order_they_arrive_in():
    answer = [
        row(weeks_back(1), albany="3.50"),
        row(MONDAY, albany="3.40"),
        row(weeks_back(2), albany="3.60"),
    ]

    parsed = parse_rows(answer)

    assert parsed.weeks == [MONDAY, weeks_back(1), weeks_back(2)]
    assert parsed.prices[(MONDAY, "albany")] == Decimal("3.400")


def test_a_region_the_row_lacks_is_no_report_and_not_a_skip():
    parsed = parse_rows([row(MONDAY, new_york_state="3.57")])

    assert parsed.prices == {(MONDAY, "new_york_state"): Decimal("3.570")}
    assert parsed.skipped == 0


@pytest.mark.parametrize("bad", ["", "n/a", "NaN", "-1", "99", None, True, [], "Infinity"])
def test_a_missing_or_non_numeric_price_is_skipped_and_counted(bad):
    parsed = parse_rows([{**row(MONDAY, albany="3.50"), "buffalo_average_gal": bad}])

    assert parsed.prices == {(MONDAY, "albany"): Decimal("3.500")}
    assert parsed.skipped == 1


def test_a_row_without_a_readable_date_is_skipped_and_counted():
    parsed = parse_rows(
        [{"date": "last week", "albany_average_gal": "3.5"}, "row", row(MONDAY, albany="3.5")]
    )

    assert parsed.rows == 3
    assert parsed.skipped == 2
    assert list(parsed.prices) == [(MONDAY, "albany")]


@pytest.mark.parametrize("answer", [{"error": True}, "rows", None, 3])
def test_an_answer_that_is_not_a_list_is_unreadable(answer):
    with pytest.raises(UnreadableAnswer):
        parse_rows(answer)


def test_dates_and_prices_in_socrata_format():
    assert parse_week("2017-03-27T00:00:00.000").isoformat() == "2017-03-27"
    assert parse_week("2017-03-27") == parse_week("2017-03-27T00:00:00")
    assert parse_week("27/03/2017") is None
    assert parse_price(" 3.57 ") == Decimal("3.570")
    assert parse_price(3) == Decimal("3.000")


def test_the_real_recorded_answer_reads_whole():
    from prices.sandbox.data import rows

    parsed = parse_rows(rows())

    assert parsed.rows == 798
    assert parsed.skipped == 0
    weeks = parsed.weeks
    assert weeks[0].isoformat() == "2023-02-06"
    assert weeks[-1].isoformat() == "2007-10-29"
    assert len([key for key in parsed.prices if key[0] == weeks[0]]) == 17
