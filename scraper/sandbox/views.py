"""The movies page stand-in (local and test stages only, mounted at /sandbox/scraper/).

``movies/`` serves a synthetic page in the seed's format (scraper/sandbox/pages.py):
``?rows=`` 1-10000 (default 300; 10000 is the benchmark's page), ``?layout=div`` the layout the
original could not read, ``?messy=1`` a few malformed rows among the good ones. ``redirect/?to=URL``
answers 302 to ``URL`` (for the tests of redirects to refused addresses). No login, no database.
"""

from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.views.decorators.http import require_GET

from scraper.sandbox.pages import DEFAULT_ROWS, MAX_ROWS, page_html


@require_GET
def movies_page(request):
    try:
        rows = int(request.GET.get("rows", DEFAULT_ROWS))
    except ValueError:
        return HttpResponseBadRequest("rows must be a whole number.")
    if not 1 <= rows <= MAX_ROWS:
        return HttpResponseBadRequest(f"rows must be between 1 and {MAX_ROWS}.")
    layout = request.GET.get("layout", "table")
    if layout not in ("table", "div"):
        return HttpResponseBadRequest("layout must be table or div.")
    html = page_html(rows=rows, layout=layout, messy=request.GET.get("messy") == "1")
    return HttpResponse(html, content_type="text/html; charset=utf-8")


@require_GET
def redirect_to(request):
    target = request.GET.get("to", "")
    if not target:
        return HttpResponseBadRequest("Say where to: ?to=URL")
    response = HttpResponseRedirect("/")
    response["Location"] = target  # any scheme on purpose: the scraper must refuse what it should
    return response
