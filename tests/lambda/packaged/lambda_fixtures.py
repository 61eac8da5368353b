"""Test-only handlers beside the unzipped package (never in the zip)."""


def set_up_alice(event, context):
    """alice with an API token and one routine; returns the ids the test needs."""
    from rest_framework.authtoken.models import Token

    from accounts.services import user_create
    from routines.services import routine_create

    alice = user_create(username="alice", password="alice-Pass-2026!", time_zone="Europe/Paris")
    routine = routine_create(owner=alice, name="Morning", description="")
    return {"user": alice.pk, "routine": routine.pk, "token": Token.objects.create(user=alice).key}


def set_up_scrape_run(event, context):
    """A scrape run of alice's (``url``, ``status``, ``rows_sent`` from the event); returns its id."""
    from accounts.models import User
    from scraper.models import ScrapeRun

    run = ScrapeRun.objects.create(
        owner=User.objects.get(username="alice"),
        url=event.get("url", "https://movies.example/"),
        status=event.get("status", ScrapeRun.Status.STORING),
        rows_seen=event.get("rows_sent", 0),
        rows_sent=event.get("rows_sent", 0),
    )
    return {"run": run.pk}


def scrape_run_state(event, context):
    """What the run says now (status, counts, failure)."""
    from scraper.models import ScrapeRun

    fields = ("status", "rows_stored", "rows_rejected", "page_errors", "failure")
    return ScrapeRun.objects.values(*fields).get(pk=event["run"])


def prices_state(event, context):
    """How many price reports are stored, and each region's latest-price item."""
    from prices.dynamo import LatestPriceItem
    from prices.models import PriceReport
    from prices.regions import REGIONS

    latest = {
        item.region: [item.week, item.price, item.previous_week, item.previous_price]
        for item in LatestPriceItem.batch_get(list(REGIONS))
    }
    return {"reports": PriceReport.objects.count(), "latest": latest}


def set_up_price_alert(event, context):
    """A subscription of ``email`` to ``regions`` (an account of its own); returns its id."""
    from accounts.models import User
    from prices.services import subscription_create

    owner, _ = User.objects.get_or_create(username="prices-subscriber")
    subscription = subscription_create(
        owner=owner, email=event["email"], regions=event["regions"], min_drop_cents=1
    )
    return {"subscription": subscription.pk}


def use_upstream(event, context):
    """REST Countries is at ``upstream`` for the rest of this process (the test's sandbox)."""
    from django.conf import settings

    settings.REST_COUNTRIES_BASE_URL = event["upstream"]
    return {}


def set_up_fetch_request(event, context):
    """A queued fetch of ``code`` by alice."""
    from accounts.models import User
    from countries.models import FetchRequest

    request = FetchRequest.objects.create(
        code=event["code"], owner=User.objects.get(username="alice"), status=FetchRequest.Status.QUEUED
    )
    return {"request": request.pk}


def fetch_request_state(event, context):
    """What the request says now, and the common name of the stored document."""
    from countries.models import FetchRequest
    from countries.selectors import country_document_get

    request = FetchRequest.objects.get(pk=event["request"])
    document = country_document_get(code=request.code) or {}
    return {
        "status": request.status,
        "failure": request.failure,
        "attempts": request.attempts.count(),
        "name": (document.get("name") or {}).get("common"),
    }


def set_up_tracked_order(event, context):
    """alice tracks an order (token encrypted by KMS on the emulator) that ``upstream`` answers, texted
    at PC; this process's Twilio settings point at ``upstream`` too (the test's fake Twilio)."""
    from django.conf import settings

    from accounts.models import User
    from tracker import services
    from tracker.models import TrackedOrder

    upstream = event["upstream"]
    settings.TWILIO_BASE_URL = upstream
    settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN = "AC" + "1" * 32, "packaged-auth-token"
    settings.TWILIO_FROM_NUMBER = "+15005550006"
    order = services.order_create(
        owner=User.objects.get(username="alice"),
        tracker_url=f"{settings.DOMINOS_TRACKER_BASE_URL}/api/GPSTracker/CartId/{event['cart']}",
        token="Bearer packaged-token",
        phone="+60123456789",
        texted_stages=["PC"],
    )
    # Domino's itself is not reachable from a test: the order asks the fake tracker instead.
    TrackedOrder.objects.filter(pk=order.pk).update(
        tracker_url=f"{upstream}/api/GPSTracker/CartId/{event['cart']}"
    )
    return {"order": order.pk}


def tracked_order_state(event, context):
    from tracker.dynamo import TextLedgerItem
    from tracker.models import TrackedOrder

    order = TrackedOrder.objects.values("stage", "tracking", "texts_sent", "texts_pending", "last_error").get(
        pk=event["order"]
    )
    order["texts"] = [(item.key, item.status) for item in TextLedgerItem.query(str(event["order"]))]
    order["changes"] = list(
        TrackedOrder.objects.get(pk=event["order"]).changes.values_list("stage", flat=True)
    )
    return order


def drop_database_connection(event, context):
    """Terminate this process's database connection from another session (a failover, an RDS reboot).

    Through Django's own wrappers, so it runs with whichever PostgreSQL driver the zip ships."""
    from django.db import connection

    if connection.connection is None:
        return {"terminated": None}
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    other = connection.copy()  # a second session with the same settings
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])
            (done,) = cursor.fetchone()
    finally:
        other.close()
    return {"terminated": pid if done else None}


def set_up_hanging_orders(event, context):
    """``count`` orders of alice's whose tracker (``upstream``) never answers in time."""
    from accounts.models import User
    from tracker.models import TrackedOrder
    from tracker.tokens import token_encrypt

    stop_all_orders(event, context)  # another test's order would share the run
    alice = User.objects.get(username="alice")
    ciphertext = token_encrypt(token="Bearer packaged-token", owner_id=alice.pk)
    orders = TrackedOrder.objects.bulk_create(
        TrackedOrder(
            owner=alice,
            tracker_url=f"{event['upstream']}/api/GPSTracker/CartId/{n:015d}",
            cart_id=f"{n:015d}",
            phone="+60123456789",
            texted_stages="",
            token_ciphertext=ciphertext,
        )
        for n in range(event["count"])
    )
    return {"orders": [order.pk for order in orders]}


def tracked_orders_state(event, context):
    """How many of the orders were polled (a failed poll recorded), never polled, or are still leased."""
    from tracker.models import TrackedOrder

    orders = TrackedOrder.objects.filter(pk__in=event["orders"])
    return {
        "polled": orders.filter(failed_polls=1, last_polled_at__isnull=False).count(),
        "unpolled": orders.filter(failed_polls=0, last_polled_at__isnull=True).count(),
        "leased": orders.exclude(lease_id="").count(),
    }


def stop_all_orders(event, context):
    """Stop tracking every active order (what one test leaves must not be polled by another's run)."""
    from tracker.models import TrackedOrder

    stopped = TrackedOrder.objects.filter(tracking=TrackedOrder.Tracking.ACTIVE).update(
        tracking=TrackedOrder.Tracking.STOPPED, token_ciphertext=None, texts_pending=""
    )
    return {"stopped": stopped}
