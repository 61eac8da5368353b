"""Zappa keeps process-wide state: a ``zappa_settings`` module and a LambdaHandler singleton."""

import sys
from contextlib import contextmanager


@contextmanager
def zappa_state_restored():
    """Put back the ``zappa_settings`` module and forget Zappa's handler singleton on the way out."""
    from zappa.handler import LambdaHandler

    previous = sys.modules.get("zappa_settings")
    try:
        yield
    finally:
        LambdaHandler._LambdaHandler__instance = None
        LambdaHandler.settings = None
        if previous is None:
            sys.modules.pop("zappa_settings", None)
        else:
            sys.modules["zappa_settings"] = previous
