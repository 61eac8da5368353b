"""The tracker pages: "My orders" with the form to add one (orders being tracked first), an
order's live timeline, stopping it, hiding an ended order from the list (or showing it again).

Each view parses the request, calls one service or selector and renders or redirects. Everything
works without JavaScript (an active order's page reloads itself every 15 s); with it,
tracker/static/tracker/order.js refreshes the timeline from ``/api/orders/{id}/stages/`` every few
seconds (the product's own API: no Domino's session to time out).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from core.forms import SERVICE_ERRORS, show_service_error
from tracker import order_stages, selectors, services
from tracker.forms import OrderForm
from tracker.models import TrackedOrder

PAGE_SIZE = 20


def _render_index(request, form, *, status=200):
    showing_hidden = request.GET.get("hidden") == "1"
    orders = selectors.order_list_shown(owner=request.user, hidden=showing_hidden)
    page = Paginator(orders, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "orders": list(page.object_list),
        "showing_hidden": showing_hidden,
        "hidden_count": selectors.order_hidden_count(owner=request.user),
        "url_help": order_stages.url_help(),
        "sandbox": settings.ON_LAPTOP,
        "max_failed": settings.TRACKER_MAX_FAILED_POLLS,
    }
    return render(request, "tracker/index.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def index(request):
    if request.method == "GET":
        # Only the tracker URL prefills the form from a link: a token never travels in a URL.
        initial = {"tracker_url": request.GET["tracker_url"]} if "tracker_url" in request.GET else {}
        return _render_index(request, OrderForm(initial=initial or None))
    form = OrderForm(request.POST)
    if form.is_valid():
        try:
            order = services.order_create(owner=request.user, **form.cleaned_data)
        except SERVICE_ERRORS as exc:
            return _render_index(request, form, status=show_service_error(form, exc))
        else:
            messages.success(request, f"Tracking order {order.cart_id}: it is checked every minute.")
            return redirect("tracker:order", pk=order.pk)
    return _render_index(request, form, status=400)


def _own_order(request, pk: int) -> TrackedOrder:
    try:
        return selectors.order_get(owner=request.user, pk=pk)
    except TrackedOrder.DoesNotExist as exc:
        raise Http404("No such order.") from exc


@login_required
def order_detail(request, pk: int):
    order = _own_order(request, pk)
    context = {
        "order": order,
        "changes": list(selectors.order_changes(order=order)),
        "texts": selectors.order_texts(order=order),
        "checked_at": selectors.order_checked_at(orders=[order]).get(order.pk),
        "sandbox": settings.ON_LAPTOP,
    }
    return render(request, "tracker/order.html", context)


@login_required
@require_POST
def order_hide(request, pk: int):
    hidden = request.POST.get("hidden", "1") != "0"
    try:
        order = services.order_hidden_set(owner=request.user, pk=pk, hidden=hidden)
    except TrackedOrder.DoesNotExist as exc:
        raise Http404("No such order.") from exc
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("tracker:order", pk=pk)
    if hidden:
        messages.success(request, f"Order {order.cart_id} is hidden from your orders (its page stays).")
    else:
        messages.success(request, f"Order {order.cart_id} is back in your orders.")
    return redirect("tracker:index")


@login_required
@require_POST
def order_stop(request, pk: int):
    try:
        order = services.order_stop(owner=request.user, pk=pk)
    except TrackedOrder.DoesNotExist as exc:
        raise Http404("No such order.") from exc
    messages.success(request, f"Stopped tracking order {order.cart_id}; its token is erased.")
    return redirect("tracker:order", pk=order.pk)
