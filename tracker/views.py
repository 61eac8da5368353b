"""The tracker pages: "My orders" with the form to add one (orders being tracked first), an
order's live timeline, changing it (name; phone and stages while tracked), stopping it, hiding an
ended order from the list (or showing it again), removing an ended order, and the new-order page
a phone's share sheet or the bookmarklet opens (``/tracker/new/?url=...``, prefilled once checked).

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
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.web.forms import SERVICE_ERRORS, service_error_message, show_service_error
from tracker import order_stages, prefill, selectors, services
from tracker.forms import OrderChangeForm, OrderForm
from tracker.models import TrackedOrder

PAGE_SIZE = 20


def _help_context(request) -> dict:
    new_url = request.build_absolute_uri(reverse("tracker:new"))
    return {
        "url_help": order_stages.url_help(),
        "new_url": new_url,
        "bookmarklet": prefill.bookmarklet(new_url),
        "sandbox": settings.ON_LAPTOP,
    }


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
        "max_failed": settings.TRACKER_MAX_FAILED_POLLS,
        **_help_context(request),
    }
    return render(request, "tracker/index.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def index(request):
    if request.method == "GET":
        # Only the tracker URL prefills the form from a link, once checked: a token never travels in a URL.
        found = prefill.tracker_url_from({"url": request.GET.get("tracker_url", "")})
        return _render_index(request, OrderForm(initial={"tracker_url": found.url} if found.url else None))
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


@login_required
@require_GET
def order_new(request):
    """The new-order form alone, prefilled from what a share sheet or the bookmarklet sent
    (``?url=``, ``?text=``, ``?title=``): only a tracker URL this stage accepts is taken; anything
    else is said and dropped, never echoed. The form posts to ``tracker:index``."""
    found = prefill.tracker_url_from(request.GET)
    form = OrderForm(initial={"tracker_url": found.url} if found.url else None)
    if found.url:
        form.fields["token"].widget.attrs["autofocus"] = True  # the next thing to give
    context = {"form": form, "refused": found.refused, "prefilled": bool(found.url), **_help_context(request)}
    return render(request, "tracker/new.html", context)


def _own_order(request, pk: int) -> TrackedOrder:
    try:
        return selectors.order_get(owner=request.user, pk=pk)
    except TrackedOrder.DoesNotExist as exc:
        raise Http404("No such order.") from exc


def _change_form(order: TrackedOrder, data=None) -> OrderChangeForm:
    initial = {"name": order.name, "phone": order.phone, "texted_stages": order.texted_list}
    return OrderChangeForm(data, initial=initial, active=order.is_active)


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
@require_http_methods(["GET", "POST"])
def order_change(request, pk: int):
    """Change an order on a page of its own: the order's page reloads itself without JavaScript,
    which would lose what is being typed."""
    order = _own_order(request, pk)
    if request.method == "GET":
        return render(request, "tracker/change.html", {"order": order, "form": _change_form(order)})
    form = _change_form(order, request.POST)
    status = 400
    if form.is_valid():
        try:
            order = services.order_update(owner=request.user, pk=pk, **form.changes())
        except SERVICE_ERRORS as exc:
            status = show_service_error(form, exc)
        else:
            messages.success(request, f"{order.title}: your changes are saved.")
            return redirect("tracker:order", pk=order.pk)
    return render(request, "tracker/change.html", {"order": order, "form": form}, status=status)


@login_required
@require_POST
def order_remove(request, pk: int):
    order = _own_order(request, pk)
    try:
        services.order_remove(owner=request.user, pk=pk)
    except SERVICE_ERRORS as exc:
        messages.error(request, service_error_message(exc))
        return redirect("tracker:order", pk=pk)
    messages.success(request, f"{order.title} is removed, with its timeline and texts.")
    return redirect("tracker:index")


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
