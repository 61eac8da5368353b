"""What the scraper keeps of a user, for "Export my data" and "Delete my account": their scrape runs,
and the movies and errors those runs stored in DynamoDB (every hash key starts with the owner: one
Query each), with the errors of their runs that reached the orphan partition (the by-run index)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from scraper.models import MovieListing, ScrapeRun, ScrapeSchedule


def _owned(user: Any) -> tuple[list[Any], list[Any]]:
    from scraper.dynamo import ORPHAN_OWNER, MovieItem, ScrapeErrorItem, owner_key

    movies = list(MovieItem.query(owner_key(user.pk), consistent_read=True))
    errors = list(ScrapeErrorItem.query(owner_key(user.pk), consistent_read=True))
    for run_id in ScrapeRun.objects.filter(owner=user).values_list("pk", flat=True):
        errors += [e for e in ScrapeErrorItem.by_run.query(run_id) if e.owner == ORPHAN_OWNER]
    return movies, errors


def user_data_export(*, user: Any) -> dict[str, Any]:
    runs = list(ScrapeRun.objects.filter(owner=user).order_by("created_at", "id"))
    movies, errors = _owned(user)
    schedule = ScrapeSchedule.objects.filter(owner=user).first()
    return {
        "schedule": None
        if schedule is None
        else {
            "url": schedule.url,
            "every_minutes": schedule.every_minutes,
            "enabled": schedule.enabled,
            "next_due_at": schedule.next_due_at,
        },
        "runs": [
            {
                "id": run.pk,
                "url": run.url,
                "status": run.status,
                "failure": run.failure,
                "created_at": run.created_at,
                "finished_at": run.finished_at,
                "rows_seen": run.rows_seen,
                "rows_stored": run.rows_stored,
            }
            for run in runs
        ],
        "movies": [
            {
                "id": movie.movie_id,
                "primary_title": movie.primary_title,
                "original_title": movie.original_title,
                "start_year": movie.start_year,
                "runtime_minutes": movie.runtime_minutes,
                "genres": list(movie.genres or []),
                "run_id": movie.run_id,
            }
            for movie in movies
        ],
        "errors": [
            {
                "run_id": error.run_id,
                "source": error.source,
                "url": error.url,
                "error_message": error.error_message,
                "reason": error.reason,
                "snippet": error.snippet,
                "created_at": error.created_at,
            }
            for error in errors
        ],
    }


def user_data_delete(*, user: Any) -> str:
    """The items first, then the runs; run again after a failure, it finds what is left. A record of
    a run still in flight that arrives afterwards names no run and is stored as an orphan error."""
    from scraper.dynamo import MovieItem, ScrapeErrorItem

    movies, errors = _owned(user)
    with MovieItem.batch_write() as batch:
        for movie in movies:
            batch.delete(movie)
    with ScrapeErrorItem.batch_write() as batch:
        for error in errors:
            batch.delete(error)
    with transaction.atomic():
        MovieListing.objects.filter(owner=user).delete()
        ScrapeSchedule.objects.filter(owner=user).delete()
        runs = ScrapeRun.objects.filter(owner=user).delete()[0]
    return f"{runs} run rows, {len(movies)} movies, {len(errors)} errors"
