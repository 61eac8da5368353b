import pytest

from prices import services
from prices.dynamo import LatestPriceItem
from prices.models import PriceReport, Subscription

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_demo_loads_the_real_weeks_and_an_alert_once(aws, alice):
    first = services.prices_demo_load(owner=alice)
    again = services.prices_demo_load(owner=alice)

    assert first == (
        "Prices: 9774 reports stored, 17 latest prices written, 1 alert subscription (demo@example.com) added."
    )
    assert (
        again
        == "Prices: 0 reports stored, 0 latest prices written, 0 alert subscription (demo@example.com) added."
    )
    assert PriceReport.objects.count() == 9774
    assert Subscription.objects.get().regions == list(services.regions.REGIONS)
    assert LatestPriceItem.get("new_york_state").week == "2023-02-06"


def test_restore_hot_items_rebuilds_the_latest_prices(aws, alice):
    from django.core.management import call_command

    services.prices_demo_load(owner=alice)
    for item in LatestPriceItem.batch_get(list(services.regions.REGIONS)):
        item.delete()

    call_command("restore_hot_items")

    assert LatestPriceItem.get("nassau").price == "3.580"
