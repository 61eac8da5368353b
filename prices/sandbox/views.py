"""Stand-ins of the prices app's upstreams (local and test stages only, at /sandbox/prices/).

* ``resource/wuxr-ni2i.json``: the Socrata endpoint over the real 798 weeks (sandbox/data.py),
  honouring ``$order`` (``date`` ASC or DESC), ``$limit`` (1-50000, default 1000), ``$offset`` and
  ``$where`` (one comparison of ``date`` with a quoted ISO date/time: ``date > '2023-01-01T00:00:00.000'``);
  other queries get Socrata's 400 JSON. No login, as upstream.
* ``/sandbox/prices/`` (the switch): append a week with a drop, and run ``fetch_prices`` at once as
  the weekly schedule would. Appended weeks live in memory; after a restart the next one follows
  the newest week the app stored, so the switch keeps working on a kept database.
* ``outbox/``: what SNS delivered to each subscriber's outbox queue (the emails a person would get):
  signed in, a user sees the emails of their own subscriptions, staff every email.
"""

from __future__ import annotations

import re

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from prices import selectors, services
from prices.sandbox import data

WHERE = re.compile(
    r"^\s*date\s*(>=|<=|>|<|=)\s*'(\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?)?)'\s*$"
)
ORDER = re.compile(r"^\s*date(?:\s+(ASC|DESC))?\s*$", re.IGNORECASE)
MAX_LIMIT = 50_000


def _malformed(message: str) -> JsonResponse:
    return JsonResponse({"code": "query.compiler.malformed", "error": True, "message": message}, status=400)


def _compare(op: str, left: str, right: str) -> bool:
    return {
        ">": left > right,
        "<": left < right,
        ">=": left >= right,
        "<=": left <= right,
        "=": left == right,
    }[op]


@require_GET
def resource(request):
    rows = data.rows()
    where = request.GET.get("$where")
    if where is not None:
        match = WHERE.match(where)
        if not match:
            return _malformed(f"Could not parse $where: {where}")
        op, value = match.groups()
        value = value if "T" in value else f"{value}T00:00:00.000"
        value = value.ljust(23, "0") if "." in value else f"{value}.000"
        rows = [row for row in rows if _compare(op, row["date"], value)]
    order = request.GET.get("$order", "")
    if order:
        match = ORDER.match(order)
        if not match:
            return _malformed(f"Could not parse $order: {order}")
        rows.sort(key=lambda row: row["date"], reverse=(match.group(1) or "ASC").upper() == "DESC")
    try:
        limit = int(request.GET.get("$limit", 1000))
        offset = int(request.GET.get("$offset", 0))
    except ValueError:
        return _malformed("$limit and $offset are whole numbers.")
    if not 0 <= limit <= MAX_LIMIT or offset < 0:
        return _malformed(f"$limit is 0 to {MAX_LIMIT}, $offset 0 or more.")
    return JsonResponse(rows[offset : offset + limit], safe=False)


@require_http_methods(["GET", "POST"])
def switch(request):
    if request.method == "POST":
        row = data.drop_week_append(stored=selectors.price_week_row())
        note = f"Appended the week of {row['date'][:10]}."
        if request.POST.get("fetch"):
            try:
                fetch = services.price_fetch_run()
                note += " " + services.price_fetch_summary(fetch)
            except services.PriceFetchFailed as exc:
                note += f" fetch_prices failed: {exc}"
        request.session["prices_sandbox_note"] = note
        return redirect("prices-sandbox:switch")
    rows = data.rows()
    return render(
        request,
        "prices/sandbox.html",
        {
            "note": request.session.pop("prices_sandbox_note", ""),
            "newest": rows[0],
            "weeks": len(rows),
            "appended": data.appended_count(),
        },
    )


@login_required
@require_GET
def outbox(request):
    services.outbox_collect()
    return render(request, "prices/outbox.html", {"emails": selectors.outbox_list(viewer=request.user)})
