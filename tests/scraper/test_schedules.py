"""The owner's schedule: set in the UI, fired by `run_scrape_schedules` once per due slot."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command

from scraper import services
from scraper.models import ScrapeRun, ScrapeSchedule

NOON = datetime(2026, 12, 8, 12, 0, tzinfo=UTC)
PAGE = "http://127.0.0.1:8000/sandbox/scraper/movies/"


def queued_runs() -> list[int]:
    import json

    from core.aws import client
    from core.contract.naming import resource_name

    sqs = client("sqs")
    url = sqs.get_queue_url(QueueName=resource_name("scrape-requests"))["QueueUrl"]
    found = []
    while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
        found += [json.loads(m["Body"])["run"] for m in messages]
    return found


@pytest.fixture
def hourly(alice, aws, clock):
    clock.set(NOON)
    return services.scrape_schedule_save(owner=alice, url=PAGE, every_minutes=60, enabled=True)


def test_a_new_schedule_is_first_due_one_interval_from_now(hourly):
    assert hourly.next_due_at == NOON + timedelta(hours=1)
    assert services.scrape_schedules_run().queued == 0
    assert queued_runs() == []


def test_a_due_schedule_queues_one_scrape_and_moves_to_the_next_slot(alice, hourly, clock):
    clock.set(NOON + timedelta(hours=1, seconds=20))

    summary = services.scrape_schedules_run()

    run = ScrapeRun.objects.get(owner=alice)
    assert (summary.queued, run.url, run.trigger, run.status) == (1, PAGE, "schedule", "queued")
    assert queued_runs() == [run.pk]
    hourly.refresh_from_db()
    assert hourly.next_due_at == NOON + timedelta(hours=2)
    assert (hourly.last_run, hourly.last_outcome) == (run, f"Scrape {run.pk} queued.")


def test_fired_twice_in_one_slot_it_scrapes_once(alice, hourly, clock):
    clock.set(NOON + timedelta(hours=1, seconds=5))
    call_command("run_scrape_schedules")
    clock.set(NOON + timedelta(hours=1, seconds=40))  # a second firing (another EventBridge id)
    call_command("run_scrape_schedules")

    assert ScrapeRun.objects.filter(owner=alice).count() == 1
    assert len(queued_runs()) == 1


def test_missed_slots_are_not_made_up(alice, hourly, clock):
    clock.set(NOON + timedelta(hours=5, minutes=10))  # nothing fired for four hours

    services.scrape_schedules_run()
    services.scrape_schedules_run()

    assert ScrapeRun.objects.filter(owner=alice).count() == 1
    hourly.refresh_from_db()
    assert hourly.next_due_at == NOON + timedelta(hours=6)


def test_too_many_scrapes_at_once_skips_the_slot_and_says_why(alice, hourly, clock, settings):
    settings.SCRAPER_MAX_ACTIVE_RUNS = 0
    clock.set(NOON + timedelta(hours=1))

    summary = services.scrape_schedules_run()

    hourly.refresh_from_db()
    assert (summary.skipped, ScrapeRun.objects.count()) == (1, 0)
    assert hourly.last_outcome.startswith("Not started: You already have 0 scrapes")
    assert hourly.next_due_at == NOON + timedelta(hours=2)


def test_a_schedule_turned_off_never_fires(alice, hourly, clock):
    services.scrape_schedule_save(owner=alice, url=PAGE, every_minutes=60, enabled=False)
    clock.set(NOON + timedelta(days=2))

    assert services.scrape_schedules_run().queued == 0


def test_finding_due_schedules_is_one_query_for_one_or_many(
    alice, bob, aws, clock, django_assert_num_queries
):
    clock.set(NOON)
    for owner in (alice, bob):
        services.scrape_schedule_save(owner=owner, url=PAGE, every_minutes=60, enabled=True)
    with django_assert_num_queries(1):
        services.scrape_schedules_run()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.com/movies", "Only http:// and https://"),
        ("file:///etc/passwd", "Only http:// and https://"),
        ("https://user:pw@example.com/", "user name or password"),
        ("", "Give the URL"),
    ],
)
def test_only_http_pages_can_be_scheduled(alice, aws, url, message):
    with pytest.raises(services.ValidationError) as caught:
        services.scrape_schedule_save(owner=alice, url=url, every_minutes=60, enabled=True)
    assert message in " ".join(caught.value.messages)


def test_on_lambda_a_private_address_is_refused(alice, aws, settings):
    settings.SCRAPER_ALLOWED_NETWORKS = []
    with pytest.raises(services.ValidationError):
        services.scrape_schedule_save(
            owner=alice, url="http://10.0.0.5/movies", every_minutes=60, enabled=True
        )


# --- the page ------------------------------------------------------------------------------------


def test_the_owner_sets_the_schedule_on_its_page(alice_client, alice, clock):
    clock.set(NOON)
    assert "No schedule yet" in alice_client.get("/scraper/schedule/").content.decode()

    answer = alice_client.post("/scraper/schedule/", {"url": PAGE, "every": "360"}, follow=True)

    schedule = ScrapeSchedule.objects.get(owner=alice)
    assert (schedule.url, schedule.every_minutes, schedule.enabled) == (PAGE, 360, True)
    body = answer.content.decode()
    assert "Every 6 hours" in body
    assert "Next scrape" in body
    assert "19:00" in body  # 18:00 UTC in alice's time zone (Europe/Paris)


def test_turning_it_off_keeps_the_page_and_the_interval(alice_client, alice, hourly):
    alice_client.post("/scraper/schedule/", {"url": PAGE, "every": "off"})

    schedule = ScrapeSchedule.objects.get(owner=alice)
    assert (schedule.enabled, schedule.every_minutes, schedule.url) == (False, 60, PAGE)


def test_a_url_that_cannot_be_scraped_is_a_form_error(alice_client, alice):
    answer = alice_client.post("/scraper/schedule/", {"url": "ftp://example.com/", "every": "60"})

    assert answer.status_code == 400
    assert "Only http:// and https://" in answer.content.decode()
    assert not ScrapeSchedule.objects.exists()


def test_an_unknown_interval_is_a_form_error(alice_client, alice):
    answer = alice_client.post("/scraper/schedule/", {"url": PAGE, "every": "5"})

    assert answer.status_code == 400
    assert not ScrapeSchedule.objects.exists()


def test_the_scrapes_page_says_when_the_schedule_runs_next(alice_client, hourly):
    page = alice_client.get("/scraper/").content.decode()

    assert "Scheduled: every hour, next" in page


def test_the_admin_lists_schedules_and_adds_none(client, hourly):
    from tests.accounts.factories import UserFactory

    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))

    assert PAGE in client.get("/admin/scraper/scrapeschedule/").content.decode()
    assert client.get("/admin/scraper/scrapeschedule/add/").status_code == 403
