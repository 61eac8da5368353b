from django.urls import NoReverseMatch, reverse


def reverse_or_none(url_name: str) -> str | None:
    """The URL of ``url_name``, or None where it is not routed (e.g. a page not mounted on this stage)."""
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return None
