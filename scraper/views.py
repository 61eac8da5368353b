"""The scraper pages: start a scrape and follow its runs, the movies table, the errors list.

Each view parses the request, calls one service or selector, and renders or redirects. Everything
works without JavaScript (a running scrape's page reloads itself every few seconds);
scraper/static/scraper/progress.js polls the run's API instead and updates the counts in place.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core.forms import add_service_errors
from scraper import selectors, services
from scraper.forms import MovieFilterForm, ScrapeForm
from scraper.models import ScrapeRun
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
        except ValidationError as exc:
            add_service_errors(form, exc)
        except services.TooManyScrapes as exc:
            form.add_error(None, str(exc))
            return _render_index(request, form, status=429)
        except services.ScrapeNotQueued as exc:
            messages.error(request, str(exc))
            return redirect("scraper:index")
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


@login_required
def movies(request):
    form = MovieFilterForm(request.GET or None)
    page = None
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400
    else:
        filters = form.cleaned_data if form.is_bound else {}
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
    }
    return render(request, "scraper/movies.html", context, status=status)


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
