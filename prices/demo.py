"""Sample data for ``manage.py load_demo``: the real 798 weeks and an alert for every region."""

from prices.services import prices_demo_load


def load_demo(*, user) -> str:
    return prices_demo_load(owner=user)
