"""The prices pages: the chart (1 year, 5 years or every week) and latest table with the
subscription form; editing, removing a subscription and asking SNS for its confirmation email
again; and the unsubscribe page an alert links to (no login needed there).

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
from core.web.forms import SERVICE_ERRORS, show_service_error
from prices import charts, notify, regions, selectors, services
from prices.forms import RANGES, AlertsForm, ChartForm, SubscriptionForm, UnsubscribeForm
from prices.models import Subscription

# NY Open Data publishes each Monday's prices within days: a newest week older than this is stale.
STALE_AFTER_DAYS = 13


def _render_index(request, *, subscription_form=None, status=200):
    chart_form = ChartForm(request.GET or None)
    region = chart_form.region_or_default()
    chart_range = chart_form.range_or_default()
    if chart_form.is_bound and not chart_form.is_valid():
        status = 400
    weeks = {value: weeks for value, _, weeks in RANGES}[chart_range]
    series = selectors.price_chart_series(region=region, weeks=weeks)
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
        "chart_range": chart_range,
        "ranges": [(value, label) for value, label, _ in RANGES],
        "chart_age": timesince(chart.last_week, today) if chart.last_week else "",
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
    services.subscription_confirmations_refresh(owner=request.user)
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
        except SERVICE_ERRORS as exc:
            return _render_index(request, subscription_form=form, status=show_service_error(form, exc))
        else:
            messages.success(
                request,
                f"{subscription.email} is subscribed to {_regions(len(subscription.regions))} "
                f"({subscription.alerts_summary}).{_confirm_note(subscription)}",
            )
            return redirect("prices:index")
    return _render_index(request, subscription_form=form, status=400)


def _confirm_note(subscription: Subscription) -> str:
    if subscription.confirmed_at is not None:
        return ""
    return (
        f" Amazon SNS has emailed {subscription.email} a link to confirm the address: "
        "no alert reaches it until the link is followed."
    )


@login_required
@require_http_methods(["GET", "POST"])
def subscription_edit(request, pk: int):
    """Change a subscription's regions, smallest drop and target (its address stays)."""
    try:
        subscription = selectors.subscription_get(owner=request.user, pk=pk)
    except Subscription.DoesNotExist as exc:
        raise Http404("No such subscription.") from exc
    if request.method == "GET":
        form = AlertsForm(
            initial={
                "regions": subscription.regions,
                "min_drop_cents": subscription.min_drop_cents,
                "target_price": subscription.target_price,
            }
        )
        return render(request, "prices/edit.html", {"form": form, "subscription": subscription})
    form = AlertsForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            subscription = services.subscription_update(owner=request.user, pk=pk, **form.cleaned_data)
        except Subscription.DoesNotExist as exc:
            raise Http404("No such subscription.") from exc
        except SERVICE_ERRORS as exc:
            status = show_service_error(form, exc)
        else:
            messages.success(
                request,
                f"Saved: {subscription.email} gets alerts for {_regions(len(subscription.regions))} "
                f"({subscription.alerts_summary}).",
            )
            return redirect("prices:index")
    return render(request, "prices/edit.html", {"form": form, "subscription": subscription}, status=status)


@login_required
@require_POST
def subscription_confirm(request, pk: int):
    """Ask SNS to email the address its confirmation link again."""
    try:
        subscription = services.subscription_confirmation_resend(owner=request.user, pk=pk)
    except Subscription.DoesNotExist as exc:
        raise Http404("No such subscription.") from exc
    except notify.DeliveryUnavailable as exc:
        messages.error(request, str(exc))
    else:
        if subscription.confirmed_at is not None:
            messages.success(request, f"{subscription.email} is confirmed: alerts reach it.")
        else:
            messages.success(
                request, f"Amazon SNS is emailing {subscription.email} a new link to confirm the address."
            )
    return redirect("prices:index")


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
                status = show_service_error(form, exc)
        else:
            status = 400
    context["form"] = form
    return render(request, "prices/unsubscribe.html", context, status=status)
