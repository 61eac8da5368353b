from django.shortcuts import render

from core.registry import product_apps
from core.urls_helpers import reverse_or_none


def home(request):
    cards = [
        {"title": card.title, "url": reverse_or_none(card.url_name), "text": card.text}
        for card in (config.home_card for config in product_apps())
        if card is not None
    ]
    return render(request, "core/home.html", {"cards": cards})
