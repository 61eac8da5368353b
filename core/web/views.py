from django.http import JsonResponse
from django.shortcuts import render
from django.views import defaults

from core.contract.registry import product_apps
from core.web.urls_helpers import reverse_or_none


def home(request):
    cards = [
        {"title": card.title, "url": reverse_or_none(card.url_name), "text": card.text}
        for card in (config.home_card for config in product_apps())
        if card is not None
    ]
    return render(request, "core/home.html", {"cards": cards})


def _resolves(path: str) -> bool:
    from django.urls import Resolver404, resolve

    try:
        resolve(path)
    except Resolver404:
        return False
    return True


def not_found(request, exception=None):
    """``handler404``: a JSON 404 under /api/ (as the API's own 404s are), the page elsewhere.

    A URL under /api/ that no route matches (``/api/routines/0.5/``, ``/api/movies.json``, a
    route without its trailing slash) is the API's answer too; a missing slash is named.
    """
    path = request.path_info
    if path.startswith("/api/"):
        detail = "Not found."
        if not path.endswith("/") and _resolves(path + "/"):
            detail = f"Not found. The API's routes end with a slash: {path}/"
        return JsonResponse({"detail": detail}, status=404)
    return defaults.page_not_found(request, exception)


def ops_failures(request):
    """Staff only: the failures waiting in the on-failure and dead-letter queues (``manage.py redrive``)."""
    from django.conf import settings
    from django.contrib.auth.views import redirect_to_login
    from django.core.exceptions import PermissionDenied

    from core.aws.redrive import failures_list

    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
    if not request.user.is_staff:
        raise PermissionDenied("Only staff can see the waiting failures.")
    error = ""
    try:
        failures = failures_list()
    except Exception as exc:  # the queues cannot be read: say so on the page
        failures, error = [], f"The queues cannot be read: {exc.__class__.__name__}: {exc}"
    return render(request, "core/ops_failures.html", {"failures": failures, "error": error})


def outbox(request):
    """The laptop's email outbox (core/aws/mail.py): the emails sent to one address, like a mailbox.

    Signed out (someone who asked for a password reset) type the address; signed in, your own
    address is shown; staff may leave it empty to see every email. Local and test stages only."""
    from core.aws.mail import outbox_list

    to = request.GET.get("to")
    if to is None and request.user.is_authenticated:
        to = request.user.email
    to = (to or "").strip()[:254]
    return render(request, "core/outbox.html", {"to": to, "emails": outbox_list(to=to, viewer=request.user)})
