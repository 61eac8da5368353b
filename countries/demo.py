"""Sample data for ``manage.py load_demo``: three countries for the demo user.

Paraguay and Brazil are stored at once (their documents are the sandbox's real ones, so the demo
does not wait for the web server); Colombia is queued through the real pipeline, and the event
runner fetches it from the sandbox stand-in within seconds of ``make run``.
"""

from countries.services import countries_demo_load


def load_demo(*, user) -> str:
    return countries_demo_load(owner=user)
