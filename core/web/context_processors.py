"""Template context shared by every page: the navigation to each app, in INSTALLED_APPS order."""

from core.contract.registry import product_apps
from core.web.urls_helpers import reverse_or_none


def navigation(request):
    items = []
    for entry in [config.nav for config in product_apps() if config.nav is not None]:
        url = reverse_or_none(entry.url_name)
        if url is not None:
            items.append((entry.label, url))
    api = reverse_or_none("api-root")
    if api is not None:
        items.append(("API", api))
    return {"nav_items": items}
