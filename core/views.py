from django.http import JsonResponse
from django.shortcuts import render
from django.views import defaults

from core.registry import product_apps
from core.urls_helpers import reverse_or_none


def home(request):
    cards = [
        {"title": card.title, "url": reverse_or_none(card.url_name), "text": card.text}
        for card in (config.home_card for config in product_apps())
        if card is not None
    ]
    return render(request, "core/home.html", {"cards": cards})


def not_found(request, exception=None):
    """``handler404``: a JSON 404 under /api/ (as the API's own 404s are), the page elsewhere.

    A URL under /api/ that no route matches (``/api/routines/0.5/``) is the API's answer too.
    """
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)
