"""Ownership declarations of the scraper: alice's scrape run, a movie it stored (and its listing), an
error of hers and her schedule."""

from scraper.models import MovieListing, ScrapeRun, ScrapeSchedule
from tests.ownership import SECRET, Ownership, Route


def build(alice):
    from scraper import services
    from scraper.records import page_error_record
    from tests.scraper.factories import ScrapeRunFactory, kinesis_record, movie_data

    run = ScrapeRunFactory(
        owner=alice,
        url=f"http://127.0.0.1:8000/sandbox/scraper/movies/?{SECRET}",
        status=ScrapeRun.Status.STORING,
        rows_seen=1,
        rows_sent=1,
        failure=SECRET,
    )
    movie = services.StreamRecord.from_lambda(
        kinesis_record(movie_data(run, id="tt7777777", primaryTitle=SECRET, originalTitle=SECRET))
    )
    assert services.movie_record_store(record=movie) == "stored"
    error = page_error_record(url=run.url, reason=SECRET, content=f"<div>{SECRET}</div>", run_id=run.pk)
    stream = "serverless-django-test-scrape-error-records"
    services.page_error_store(record=services.StreamRecord.from_lambda(kinesis_record(error, stream=stream)))
    services.scrape_schedule_save(owner=alice, url=run.url, every_minutes=60, enabled=True)
    return {"scrape_run": run, "movie_id": "tt7777777"}


def snapshot(alice):
    from scraper.dynamo import MovieItem, ScrapeErrorItem

    runs = list(ScrapeRun.objects.filter(owner=alice).order_by("pk").values())
    movies = sorted(repr(item.attribute_values) for item in MovieItem.query(str(alice.pk)))
    errors = sorted(repr(item.attribute_values) for item in ScrapeErrorItem.query(str(alice.pk)))
    listings = list(MovieListing.objects.filter(owner=alice).order_by("pk").values())
    schedules = list(ScrapeSchedule.objects.filter(owner=alice).values())
    return runs, movies, errors, listings, schedules


def run(world):
    return {"pk": world["scrape_run"].pk}


OWNERSHIP = Ownership(
    build=build,
    snapshot=snapshot,
    write_body=lambda world: {"url": "http://127.0.0.1:9/bobs-page/"},
    routes={
        # API
        "scrape-list": Route(owned=False),
        "scrape-detail": Route(run),
        "movie-list": Route(owned=False),
        "movie-detail": Route(lambda world: {"pk": world["movie_id"]}),
        "scrape-error-list": Route(owned=False),
        # Pages
        "scraper:index": Route(owned=False),
        "scraper:run": Route(run),
        "scraper:movies": Route(owned=False),
        "scraper:errors": Route(owned=False),
        "scraper:run-delete": Route(run, body=lambda world: {"movies": "delete"}),
        "scraper:movie": Route(lambda world: {"movie_id": world["movie_id"]}),
        "scraper:movies-export": Route(owned=False),
        "scraper:schedule": Route(
            owned=False, body=lambda world: {"url": "http://127.0.0.1:9/bobs-page/", "every": "off"}
        ),
    },
)
