"""Sample data for ``manage.py load_demo``: the original routines-api's four routines."""

from routines.services import routine_samples_load


def load_demo(*, user) -> str:
    return routine_samples_load(owner=user).summary()
