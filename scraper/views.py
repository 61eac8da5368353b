"""The scraper pages: start a scrape and follow its runs, the movies table, the errors list.

Each view parses the request, calls one service or selector, and renders or redirects. Everything
works without JavaScript (a running scrape's page reloads itself every few seconds);
scraper/static/scraper/progress.js polls the run's API instead and updates the counts in place.
"""

from __future__ import annotations

import csv

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core.web.forms import SERVICE_ERRORS, add_service_errors, show_service_error
from scraper import selectors, services
from scraper.forms import OFF, MovieFilterForm, RunDeleteForm, ScheduleForm, ScrapeForm
from scraper.models import ScrapeRun, ScrapeSchedule
from scraper.records import KNOWN_GENRES

RECENT_RUNS = 20
PAGE_SIZE = 50


def _render_index(request, form, *, status=200):
    runs = list(selectors.scrape_run_list(owner=request.user)[:RECENT_RUNS])
    context = {
        "form": form,
        "runs": runs,
        "active": any(not run.finished for run in runs),
        "default_url": settings.MOVIES_PAGE_URL,
        "schedule": selectors.scrape_schedule_get(owner=request.user),
        "sandbox": settings.ON_LAPTOP,
    }
    return render(request, "scraper/index.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def index(request):
    if request.method == "GET":
        return _render_index(request, ScrapeForm(initial={"url": settings.MOVIES_PAGE_URL}))
    form = ScrapeForm(request.POST)
    if form.is_valid():
        try:
            run = services.scrape_run_request(
                owner=request.user, url=form.cleaned_data["url"], trigger=ScrapeRun.Trigger.WEB
            )
        except services.ScrapeNotQueued as exc:  # the run is recorded, failed: its list says why
            messages.error(request, str(exc))
            return redirect("scraper:index")
        except SERVICE_ERRORS as exc:
            return _render_index(request, form, status=show_service_error(form, exc))
        else:
            messages.success(request, f"Scrape {run.pk} queued: {run.url}")
            return redirect("scraper:run", pk=run.pk)
    return _render_index(request, form, status=400)


@login_required
def run_detail(request, pk: int):
    try:
        run = selectors.scrape_run_get(owner=request.user, pk=pk)
    except ScrapeRun.DoesNotExist as exc:
        raise Http404("No such scrape.") from exc
    errors = selectors.scrape_error_list(owner=request.user, run_id=run.pk, limit=PAGE_SIZE)
    return render(
        request,
        "scraper/run.html",
        {"run": run, "errors": errors, "form": ScrapeForm(initial={"url": run.url})},
    )


def _movie_filters(request) -> tuple[MovieFilterForm, dict | None]:
    """The filter form and its values (None when the form is bound and invalid)."""
    form = MovieFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return form, None
    return form, (form.cleaned_data if form.is_bound else {})


@login_required
def movies(request):
    form, filters = _movie_filters(request)
    page = None
    status = 200 if filters is not None else 400
    if filters is not None:
        try:
            page = selectors.movie_list(
                owner=request.user, cursor=request.GET.get("cursor"), limit=PAGE_SIZE, **filters
            )
        except ValidationError as exc:  # a cursor that is not ours
            add_service_errors(form, exc)
            status = 400
    query = request.GET.copy()
    query.pop("cursor", None)
    context = {
        "form": form,
        "page": page,
        "genres": KNOWN_GENRES,
        "filtered": any(query.get(name) for name in ("genre", "year_from", "year_to", "title")),
        "query": query.urlencode(),
        "first_page": not request.GET.get("cursor"),
        "export_max": settings.SCRAPER_EXPORT_MAX_ROWS,
    }
    return render(request, "scraper/movies.html", context, status=status)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(value) -> str:
    """A CSV cell a spreadsheet shows as text: a scraped title starting with = + - @ is no formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@login_required
def movies_export(request):
    """The filtered movies as CSV, in the list's order, streamed, at most SCRAPER_EXPORT_MAX_ROWS."""
    form, filters = _movie_filters(request)
    if filters is None:
        return HttpResponseBadRequest("Fix the filters: " + " ".join(form.errors.as_text().split()))
    try:
        rows = selectors.movie_export_rows(
            owner=request.user, limit=settings.SCRAPER_EXPORT_MAX_ROWS, **filters
        )
    except ValidationError as exc:
        return HttpResponseBadRequest(" ".join(exc.messages))
    writer = csv.writer(_Echo())
    header = ["id", "primaryTitle", "originalTitle", "isAdult", "startYear", "runtimeMinutes", "genres"]

    def lines():
        yield writer.writerow(header)
        for movie in rows:
            yield writer.writerow(
                [
                    _cell(value)
                    for value in (
                        movie.movie_id,
                        movie.primary_title,
                        movie.original_title,
                        "" if movie.is_adult is None else movie.is_adult,
                        movie.start_year,
                        movie.runtime_minutes,
                        ",".join(movie.genres),
                    )
                ]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="movies.csv"'
    return response


@login_required
def movie_detail(request, movie_id: str):
    try:
        detail = selectors.movie_detail(owner=request.user, movie_id=movie_id)
    except selectors.MovieNotFound as exc:
        raise Http404("No such movie.") from exc
    return render(request, "scraper/movie.html", {"detail": detail, "movie": detail.movie})


@login_required
@require_http_methods(["GET", "POST"])
def run_delete(request, pk: int):
    try:
        run = selectors.scrape_run_get(owner=request.user, pk=pk)
    except ScrapeRun.DoesNotExist as exc:
        raise Http404("No such scrape.") from exc
    form = RunDeleteForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                summary = services.scrape_run_delete(
                    owner=request.user, pk=run.pk, with_movies=form.cleaned_data["movies"] == "delete"
                )
            except SERVICE_ERRORS as exc:
                status = show_service_error(form, exc)
            else:
                messages.success(request, summary)
                return redirect("scraper:index")
        else:
            status = 400
    context = {
        "run": run,
        "form": form,
        "movie_count": selectors.movie_run_count(owner=request.user, run_id=run.pk),
    }
    return render(request, "scraper/run_delete.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def schedule(request):
    current = selectors.scrape_schedule_get(owner=request.user)
    if request.method == "GET":
        initial = {"url": settings.MOVIES_PAGE_URL, "every": str(ScrapeSchedule.Every.DAY)}
        if current is not None:
            initial = {"url": current.url, "every": str(current.every_minutes) if current.enabled else OFF}
        form = ScheduleForm(initial=initial)
        return render(request, "scraper/schedule.html", {"form": form, "schedule": current})
    form = ScheduleForm(request.POST)
    status = 400
    if form.is_valid():
        every = form.cleaned_data["every"]
        kept = current.every_minutes if current else ScrapeSchedule.Every.DAY  # "Off" keeps the interval
        try:
            services.scrape_schedule_save(
                owner=request.user,
                url=form.cleaned_data["url"],
                every_minutes=int(kept if every == OFF else every),
                enabled=every != OFF,
            )
        except SERVICE_ERRORS as exc:
            status = show_service_error(form, exc)
        else:
            messages.success(request, "Schedule saved." if every != OFF else "Schedule turned off.")
            return redirect("scraper:schedule")
    return render(request, "scraper/schedule.html", {"form": form, "schedule": current}, status=status)


@login_required
def errors(request):
    run = None
    run_text = request.GET.get("run", "")
    if run_text:
        try:
            run = selectors.scrape_run_get(owner=request.user, pk=int(run_text))
        except (ValueError, ScrapeRun.DoesNotExist) as exc:
            raise Http404("No such scrape.") from exc
    try:
        page = selectors.scrape_error_list(
            owner=request.user,
            run_id=run.pk if run else None,
            cursor=request.GET.get("cursor"),
            limit=PAGE_SIZE,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("scraper:errors")
    query = request.GET.copy()
    query.pop("cursor", None)
    return render(
        request,
        "scraper/errors.html",
        {"page": page, "run": run, "query": query.urlencode(), "first_page": not request.GET.get("cursor")},
    )
