"""The countries pages: search a country, fetch it, see its card and its fetch history; browse your
stored countries (filter, sort, pages, stale marks, fetch again) and compare two side by side.

Each view parses the request, calls one service or selector and renders or redirects. Everything
works without JavaScript (a country with a fetch in flight reloads itself every 3 s);
countries/static/countries/countries.js polls the request's API instead and reloads when it is done.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_GET, require_POST

from core.web.forms import SERVICE_ERRORS, service_error_message, service_error_status
from countries import selectors, services
from countries.cards import country_card
from countries.codes import country_get, country_search
from countries.forms import CompareForm, CountrySearchForm, StoredCountriesForm
from countries.models import FetchRequest

RECENT = 20
STORED_PAGE_SIZE = 20


@login_required
@require_GET
def index(request):
    form = CountrySearchForm(request.GET if "q" in request.GET else None)
    matches = []
    status = 200
    if form.is_bound:
        if form.is_valid():
            query = form.cleaned_data["q"]
            matches = country_search(query)
            exact = [c for c in matches if query.upper() in (c.code, c.alpha_3)]
            if len(matches) == 1 or exact:
                return redirect("countries:country", code=(exact or matches)[0].code)
        else:
            status = 400
    recent = list(selectors.fetch_request_list(owner=request.user)[:RECENT])
    context = {
        "form": form,
        "matches": matches,
        "recent": recent,
        "searched": form.is_bound,
        "sandbox": settings.ON_LAPTOP,
    }
    return render(request, "countries/index.html", context, status=status)


def _local_flag(code: str) -> str | None:
    """On the laptop stage, the sandbox's copy of the flag (or "" when it has none): offline, the
    documents' flagcdn.com images are broken. Elsewhere None: the document's own image."""
    if not settings.COUNTRIES_LOCAL_FLAGS:
        return None
    from countries.sandbox.views import flag_path

    return reverse("countries-sandbox:flag", args=[code.lower()]) if flag_path(code) else ""


def _country_page(request, country, *, status=200, error=""):
    document, unavailable = None, ""
    try:
        document = selectors.country_document_get(code=country.code)
    except selectors.DocumentsUnavailable as exc:
        unavailable = str(exc)
    mine = list(selectors.fetch_request_list(owner=request.user).filter(code=country.code)[:10])
    active = next((r for r in mine if not r.finished), None)
    context = {
        "country": country,
        "card": country_card(document, local_flag=_local_flag(country.code)) if document else None,
        "unavailable": unavailable,
        "attempts": selectors.fetch_attempt_list(code=country.code, limit=RECENT),
        "mine": mine,
        "active": active,
        "error": error,
        "search": CountrySearchForm(),
    }
    return render(request, "countries/country.html", context, status=status)


def _country_or_404(code: str):
    country = country_get(code)
    if country is None:
        raise Http404("No such country.")
    return country


@login_required
@require_GET
def country(request, code: str):
    found = _country_or_404(code)
    if code != found.code:
        return redirect("countries:country", code=found.code)
    return _country_page(request, found)


@login_required
@require_POST
def fetch(request, code: str):
    found = _country_or_404(code)
    try:
        fetched = services.fetch_request_create(
            code=found.code, owner=request.user, trigger=FetchRequest.Trigger.WEB
        )
    except SERVICE_ERRORS as exc:
        return _country_page(
            request, found, status=service_error_status(exc), error=service_error_message(exc)
        )
    if fetched.status == FetchRequest.Status.PENDING:
        messages.warning(
            request, f"Fetch of {found.code} recorded: the queue cannot be reached now, it is sent shortly."
        )
    else:
        messages.success(request, f"Fetch of {found.code} queued.")
    back = request.POST.get("next", "")  # the list of your countries sends its own address
    if back and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return redirect("countries:country", code=found.code)


def _your_countries(request):
    return list(selectors.stored_country_list(owner=request.user).values_list("code", "name"))


@login_required
@require_GET
def stored(request):
    """Your stored countries: filter by region, sort, page through them, fetch a stale one again."""
    form = StoredCountriesForm(request.GET)
    status, region, sort, number = 200, "", "name", 1
    if form.is_valid():
        region, sort, number = (
            form.cleaned_data["region"],
            form.cleaned_data["sort"],
            form.cleaned_data["page"],
        )
    else:
        status = 400
    paginator = Paginator(
        selectors.stored_country_list(owner=request.user, region=region, sort=sort), STORED_PAGE_SIZE
    )
    if number > paginator.num_pages:
        form.add_error("page", f"Page {number} is past the last page ({paginator.num_pages}).")
        status, number = 400, paginator.num_pages
    page = paginator.page(number)
    stale_before = selectors.stored_country_stale_before()
    rows = [
        (c, c.fetched_at < stale_before, f"{c.population:,}" if c.population is not None else "")
        for c in page.object_list
    ]
    filters: dict[str, str | int] = {"region": region, "sort": sort}
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "region": region,
        "stale_after_hours": settings.COUNTRIES_STALE_AFTER_HOURS,
        "previous_query": urlencode({**filters, "page": number - 1}) if page.has_previous() else "",
        "next_query": urlencode({**filters, "page": number + 1}) if page.has_next() else "",
        "here": request.get_full_path(),
        "compare": CompareForm(choices=_your_countries(request)),
    }
    return render(request, "countries/stored.html", context, status=status)


@login_required
@require_GET
def compare(request):
    """Two of your stored countries side by side (``?a=PY&b=BR``)."""
    form = CompareForm(request.GET or None, choices=_your_countries(request))
    compared, rows, missing, error, status = None, [], None, "", 200
    if form.is_bound and not form.is_valid():
        status = 400
    elif form.is_bound:
        from countries.cards import country_comparison

        codes = (form.cleaned_data["a"], form.cleaned_data["b"])
        try:
            compared = selectors.stored_country_compare(owner=request.user, codes=codes)
        except selectors.NotYourCountry as exc:
            missing, status = exc, 404
        except selectors.DocumentsUnavailable as exc:
            error, status = str(exc), 503
        else:
            for one in compared:
                local = _local_flag(one.country.code)
                if local is not None:
                    one.card["flag_png"] = local
            rows = country_comparison(compared[0].card, compared[1].card)
    context = {"form": form, "compared": compared, "rows": rows, "missing": missing, "error": error}
    return render(request, "countries/compare.html", context, status=status)
