"""Template context shared by every page: the navigation to each app."""

from django.urls import NoReverseMatch, reverse

# (label, URL name) for each app's front page, in menu order.
NAV_ITEMS = [
    ("Routines", "routines:today"),
    ("API", "api-root"),
]


def navigation(request):
    items = []
    for label, name in NAV_ITEMS:
        try:
            items.append((label, reverse(name)))
        except NoReverseMatch:
            continue
    return {"nav_items": items}
