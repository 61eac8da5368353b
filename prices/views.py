"""The prices pages: the chart and latest table with the subscription form, removing a
subscription, and the unsubscribe page an alert links to (no login needed there).

Each view parses the request, calls one service or selector, and renders or redirects.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.timesince import timesince
from django.views.decorators.http import require_http_methods, require_POST

from core.clock import user_today
from core.forms import add_service_errors
from prices import charts, notify, regions, selectors, services
from prices.forms import ChartForm, SubscriptionForm, UnsubscribeForm
from prices.models import Subscription

# NY Open Data publishes each Monday's prices within days: a newest week older than this is stale.
STALE_AFTER_DAYS = 13


def _render_index(request, *, subscription_form=None, status=200):
    chart_form = ChartForm(request.GET or None)
    region = chart_form.region_or_default()
    if chart_form.is_bound and not chart_form.is_valid():
        status = 400
    series = selectors.price_chart_series(region=region)
    chart = charts.line_chart(series, {key: regions.label_of(key) for key in series})
    drops, drops_in_week = selectors.price_drop_recent(limit=5)
    latest = selectors.price_latest_list()
    latest_week = max((row.week for row in latest), default=None)
    today = user_today(request.user)
    context = {
        "chart_form": chart_form,
        "region": region,
        "region_label": regions.label_of(region),
        "chart": chart,
        "latest": latest,
        "latest_week": latest_week,
        "data_age": timesince(latest_week, today) if latest_week else "",
        "data_stale": latest_week is not None and (today - latest_week).days > STALE_AFTER_DAYS,
        "form": subscription_form or SubscriptionForm(initial={"regions": [region]}),
        "subscriptions": list(selectors.subscription_list(owner=request.user)),
        "drops": drops,
        "drops_in_week": drops_in_week,
        "last_fetch": selectors.price_fetch_last(),
        "email_delivery": settings.PRICES_EMAIL_DELIVERY,
        "sandbox": settings.ON_LAPTOP,
    }
    return render(request, "prices/index.html", context, status=status)


@login_required
@require_http_methods(["GET"])
def index(request):
    return _render_index(request)


def _regions(count: int) -> str:
    return f"{count} region" if count == 1 else f"{count} regions"


@login_required
@require_POST
def subscribe(request):
    form = SubscriptionForm(request.POST)
    if form.is_valid():
        try:
            subscription = services.subscription_create(owner=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except notify.DeliveryUnavailable as exc:
            form.add_error(None, str(exc))
            return _render_index(request, subscription_form=form, status=503)
        else:
            messages.success(
                request,
                f"{subscription.email} is subscribed to {_regions(len(subscription.regions))} "
                f"(drops of {subscription.min_drop_cents} cents or more).",
            )
            return redirect("prices:index")
    return _render_index(request, subscription_form=form, status=400)


@login_required
@require_POST
def subscription_delete(request, pk: int):
    try:
        services.subscription_delete(owner=request.user, pk=pk)
    except Subscription.DoesNotExist as exc:
        raise Http404("No such subscription.") from exc
    except notify.DeliveryUnavailable as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Subscription removed.")
    return redirect("prices:index")


@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """The link of one subscriber's alert: GET says what each choice removes (link scanners that
    open it change nothing); one click on a button (POST) does it. No address is asked for."""
    try:
        link, subscription = services.subscription_of_link(token=token)
    except ValidationError as exc:
        return render(request, "prices/unsubscribe.html", {"invalid": " ".join(exc.messages)}, status=400)
    context: dict[str, Any] = {"link": link, "subscription": subscription, "done": ""}
    if subscription is not None:
        context["alert_labels"] = [regions.label_of(region) for region in link.regions]
        context["remove_only_some"] = any(region not in link.regions for region in subscription.regions)
    form = UnsubscribeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                context["done"] = services.subscription_unsubscribe(
                    token=token, everything=form.cleaned_data["scope"] == UnsubscribeForm.ALL
                )
            except notify.DeliveryUnavailable as exc:
                form.add_error(None, str(exc))
                status = 503
        else:
            status = 400
    context["form"] = form
    return render(request, "prices/unsubscribe.html", context, status=status)
