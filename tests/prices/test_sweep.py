"""Nothing stuck: a weekly fetch whose function died is ended with the reason, not left running."""

from datetime import UTC, datetime, timedelta

from django.core.management import call_command

from prices.models import PriceFetch

START = datetime(2026, 3, 3, 15, 30, tzinfo=UTC)


def test_a_fetch_running_past_its_deadline_is_ended_with_the_reason(db, clock, settings):
    settings.PRICES_FETCH_SECONDS = 600
    clock.set(START)
    interrupted = PriceFetch.objects.create()
    clock.set(START + timedelta(seconds=599))
    assert call_command("sweep_price_fetches") == "Ended 0 interrupted price fetches."
    clock.set(START + timedelta(seconds=601))
    young = PriceFetch.objects.create()

    assert call_command("sweep_price_fetches") == "Ended 1 interrupted price fetch."

    interrupted.refresh_from_db()
    young.refresh_from_db()
    assert (interrupted.status, interrupted.finished_at) == ("failed", clock.now)
    assert interrupted.failure.startswith("Interrupted: the run stopped before it finished")
    assert young.status == "running"


def test_finished_fetches_are_left_as_they_are(db, clock):
    clock.set(START)
    done = PriceFetch.objects.create(status="done", finished_at=START)
    clock.set(START + timedelta(days=1))

    call_command("sweep_price_fetches")

    done.refresh_from_db()
    assert (done.status, done.failure) == ("done", "")
