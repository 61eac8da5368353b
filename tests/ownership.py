"""The ownership matrix's registry: what each app declares so its routes can be tried as bob and anonymous.

Each product app (core included) has ``tests/<app>/ownership.py`` defining ``OWNERSHIP``, an
:class:`Ownership`: how to build alice's objects, how to read back everything of hers (to prove
nothing changed), and one :class:`Route` per URL name of the app, saying which URL values name her
objects. tests/core/test_ownership_matrix.py walks the whole URL configuration and FAILS for any
route no app declares, so a new app's routes are held to the matrix from their first commit.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# Alice's objects carry this in every text, so a response leaking them is found by a substring.
SECRET = "alices-secret-7f3a"


@dataclass(frozen=True)
class Route:
    """One URL name of the app.

    ``kwargs(world)`` gives the URL values (alice's ids, a day...) for every group its patterns
    have. ``owned`` says the URL names alice's object: bob and anonymous must then be refused
    (401, 403, 404, 405 or a redirect to log in). A route that is not owned (a list, "me", a form)
    may answer bob, but never with alice's data; ``public`` routes may answer anonymous too.
    ``body(world)`` is what writes send (default: values that would change her objects).
    """

    kwargs: Callable[[dict[str, Any]], dict[str, Any]] = lambda world: {}
    owned: bool = True
    public: bool = False
    body: Callable[[dict[str, Any]], dict[str, Any]] | None = None


@dataclass(frozen=True)
class Ownership:
    """An app's declaration: ``build(alice) -> world`` (dict of her objects), ``snapshot(alice)``
    (everything of hers, comparable), its routes by URL name (``"routines:edit"``,
    ``"routine-detail"``) and the fields its writes take (``write_body``)."""

    routes: dict[str, Route]
    build: Callable[[Any], dict[str, Any]] = lambda alice: {}
    snapshot: Callable[[Any], Any] = lambda alice: None
    # Fields a write sends by default, chosen to change alice's objects if it were let through.
    write_body: Callable[[dict[str, Any]], dict[str, Any]] = lambda world: {}


def declarations() -> dict[str, Ownership]:
    """Every product app's declaration, by app label (an app without one declares no route)."""
    from core.contract.registry import product_apps

    found = {}
    for config in product_apps():
        try:
            module = importlib.import_module(f"tests.{config.label}.ownership")
        except ModuleNotFoundError as exc:
            if exc.name != f"tests.{config.label}.ownership":
                raise
            continue
        found[config.label] = module.OWNERSHIP
    return found
