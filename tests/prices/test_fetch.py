"""fetch_prices' service: the sandbox's real weeks stored, refetching changes nothing, failures store nothing."""

from datetime import date
from decimal import Decimal

import pytest

from prices import services
from prices.dynamo import LatestPriceItem
from prices.models import PriceFetch, PriceReport
from prices.sandbox import data
from tests.prices.factories import MONDAY, PriceReportFactory, row, weeks_back

pytestmark = pytest.mark.django_db(transaction=True)

NEWEST = date(2023, 2, 6)


def test_the_first_fetch_stores_every_week_and_region_and_the_latest_prices(sandbox, aws):
    fetch = services.price_fetch_run()

    assert fetch.status == PriceFetch.Status.DONE
    assert fetch.rows_received == 798
    assert PriceReport.objects.count() == fetch.reports_created > 798
    assert PriceReport.objects.filter(week=date(2007, 10, 29)).count() == 9  # the other regions began later
    assert fetch.hot_items_written == 17
    nassau = LatestPriceItem.get("nassau")
    assert (nassau.week, nassau.price, nassau.previous_week, nassau.previous_price) == (
        "2023-02-06",
        "3.580",
        "2023-01-30",
        "3.490",
    )


def test_refetching_changes_nothing(sandbox, aws):
    services.price_fetch_run()
    before = list(PriceReport.objects.values_list("week", "region", "price", "fetched_at"))
    items = {
        item.region: item.updated_at for item in LatestPriceItem.batch_get(list(services.regions.REGIONS))
    }

    again = services.price_fetch_run(backfill=52)

    assert (again.reports_created, again.reports_revised, again.reports_unchanged) == (0, 0, 52 * 17)
    assert again.hot_items_written == 0
    assert list(PriceReport.objects.values_list("week", "region", "price", "fetched_at")) == before
    assert {item.region: item.updated_at for item in LatestPriceItem.batch_get(list(items))} == items


def test_a_later_fetch_asks_only_for_the_weeks_after_the_newest_stored(sandbox, aws):
    services.price_fetch_run()
    appended = data.drop_week_append()

    fetch = services.price_fetch_run()

    assert fetch.rows_received == 1
    assert fetch.reports_created == 17
    assert fetch.hot_items_written == 17
    assert LatestPriceItem.get("albany").week == appended["date"][:10]
    assert services.price_fetch_summary(fetch) == (
        "Fetched 1 rows: 17 new reports, 0 unchanged, 0 revised, 0 values skipped; 17 latest prices written."
    )


def test_a_backfill_fetches_the_newest_n_weeks(sandbox, aws):
    fetch = services.price_fetch_run(backfill=3)

    assert fetch.rows_received == 3
    assert sorted(set(PriceReport.objects.values_list("week", flat=True))) == [
        date(2023, 1, 23),
        date(2023, 1, 30),
        NEWEST,
    ]


def test_bad_values_are_skipped_and_counted_the_rest_stored(upstream, aws):
    upstream.get(
        "https://data.ny.gov/resource/wuxr-ni2i.json",
        json=[row(MONDAY, albany="3.50", buffalo="", nassau="abc"), {"date": "soon"}],
    )

    fetch = services.price_fetch_run()

    assert fetch.values_skipped == 3
    assert list(PriceReport.objects.values_list("region", "price")) == [("albany", Decimal("3.500"))]


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ({"status": 503}, "Nothing stored: NY Open Data answered 503"),
        (
            {"body": "<html>maintenance</html>", "content_type": "text/html"},
            "Nothing stored: NY Open Data answered with text/html, not JSON.",
        ),
        (
            {"json": {"error": True, "message": "bad"}},
            "Nothing stored: The answer is a JSON dict, not a list of rows.",
        ),
    ],
)
def test_an_upstream_error_fails_the_run_in_one_line_and_stores_nothing(upstream, aws, answer, message):
    for _ in range(3):  # the client's retries
        upstream.get("https://data.ny.gov/resource/wuxr-ni2i.json", **answer)
    upstream.assert_all_requests_are_fired = False

    with pytest.raises(services.PriceFetchFailed) as failed:
        services.price_fetch_run()

    assert str(failed.value).startswith(message)
    assert "\n" not in str(failed.value)
    assert PriceReport.objects.count() == 0
    assert PriceFetch.objects.get().status == PriceFetch.Status.FAILED


def test_a_revised_price_is_updated(upstream, aws):
    PriceReportFactory(week=MONDAY, region="albany", price=Decimal("3.500"))
    upstream.get("https://data.ny.gov/resource/wuxr-ni2i.json", json=[row(MONDAY, albany="3.45")])

    fetch = services.price_fetch_run(backfill=1)

    assert fetch.reports_revised == 1
    assert PriceReport.objects.get().price == Decimal("3.450")


def test_the_previous_week_is_the_regions_own_newest_earlier_week(aws, db):
    """Ithaca has no price two weeks back; its previous week is the week before that."""
    PriceReportFactory(week=MONDAY, region="ithaca", price=Decimal("3.40"))
    PriceReportFactory(week=weeks_back(3), region="ithaca", price=Decimal("3.55"))
    PriceReportFactory(week=weeks_back(1), region="albany", price=Decimal("3.10"))
    PriceReportFactory(week=MONDAY, region="albany", price=Decimal("3.20"))

    assert services.latest_prices_sync() == 2

    ithaca = LatestPriceItem.get("ithaca")
    assert (ithaca.previous_week, ithaca.previous_price) == (weeks_back(3).isoformat(), "3.550")
    assert LatestPriceItem.get("albany").previous_price == "3.100"


def test_the_latest_price_only_moves_forwards(aws, db):
    PriceReportFactory(week=MONDAY, region="albany", price=Decimal("3.20"))
    assert services.latest_prices_sync() == 1
    PriceReport.objects.all().delete()
    PriceReportFactory(week=weeks_back(1), region="albany", price=Decimal("3.90"))

    assert services.latest_prices_sync() == 0
    assert LatestPriceItem.get("albany").week == MONDAY.isoformat()


def test_the_drop_switch_follows_weeks_stored_before_a_restart(sandbox, aws):
    services.price_fetch_run()
    data.drop_week_append()
    services.price_fetch_run()
    data.appended_reset()  # the dev server restarted; the database kept the appended week

    data.drop_week_append(stored=services.selectors.price_week_row())
    fetch = services.price_fetch_run()

    assert fetch.reports_created == 17
    assert services.selectors.price_newest_week() == date(2023, 2, 20)


def test_more_weeks_than_a_page_are_fetched_page_by_page(sandbox, aws, settings):
    settings.PRICES_FETCH_LIMIT = 300

    fetch = services.price_fetch_run()

    assert fetch.rows_received == 798
    assert PriceReport.objects.filter(week=date(2007, 10, 29)).exists()


@pytest.mark.parametrize("stored", [3, 300])
def test_a_weekly_fetch_makes_as_many_queries_and_dynamodb_calls_whatever_is_stored(
    upstream, aws, stored, django_assert_max_num_queries
):
    from datetime import timedelta

    from prices import regions

    PriceReport.objects.bulk_create(
        PriceReport(week=weeks_back(n), region=region, price=Decimal("3.10") + n % 3 / Decimal(100))
        for n in range(stored)
        for region in regions.REGIONS
    )
    new_week = MONDAY + timedelta(weeks=1)
    upstream.get(
        "https://data.ny.gov/resource/wuxr-ni2i.json",
        json=[row(new_week, **dict.fromkeys(regions.REGIONS, "2.99"))],
    )
    calls = []
    connection = LatestPriceItem._get_connection().connection.client
    connection.meta.events.register("before-call.dynamodb", lambda model, **kwargs: calls.append(model.name))

    with django_assert_max_num_queries(10):  # 10 for 3 and for 300 stored weeks
        fetch = services.price_fetch_run()

    assert fetch.hot_items_written == 17
    assert calls == ["PutItem"] * 17
