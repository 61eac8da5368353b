"""The app registration contract: one AppConfig per app declares everything the project wires.

An app subclasses :class:`ProductAppConfig` and says, in one place, what it brings::

    class RoutinesConfig(ProductAppConfig):
        name = "routines"
        url_prefix = "routines/"                      # pages: routines/urls.py under /routines/
        api_routes = [ApiRoute("routines", "routines.api.RoutineViewSet", "routine")]
        nav = NavEntry("Routines", "routines:today")
        home_card = HomeCard("Routines", "routines:today", "Keep daily checklists ...")
        dynamo_models = ["routines.dynamo.RoutineDayItem"]
        event_sources = [
            StreamSource(model="routines.dynamo.RoutineDayItem", handler="routines.events.archive_days")
        ]
        demo_loader = "routines.demo.load_demo"
        hot_item_restorer = "routines.services.routine_days_restore_summary"
        account_exporter = "routines.user_data.user_data_export"
        account_deleter = "routines.user_data.user_data_delete"

``config`` (URLs, API router) and ``core`` (navigation, home page, provisioning, IAM, the event
runner, the Lambda router) loop over :func:`core.contract.registry.product_apps` and name no app. Dotted
paths are strings on purpose: AppConfigs load on every Lambda cold start, and PynamoDB models,
viewsets and handlers are imported only by whatever needs them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.apps import AppConfig

from core.contract.resources import EventSourceDeclaration, Resource


@dataclass(frozen=True)
class ApiRoute:
    """A DRF viewset registered on the product router at ``/api/<prefix>/``."""

    prefix: str
    viewset: str  # dotted path
    basename: str


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str


@dataclass(frozen=True)
class HomeCard:
    title: str
    url_name: str
    text: str


class ProductAppConfig(AppConfig):
    """Base AppConfig of every app of the product; every attribute is optional."""

    # Django picks an app's config automatically only if its apps.py has one candidate; importing
    # this base there makes two. The base opts out and every subclass opts in (see __init_subclass__).
    default = False

    # Pages: ``<name>.urls`` (or ``urls_module``) is included at ``/<url_prefix>`` ("" = the root).
    url_prefix: str | None = None
    urls_module: str | None = None
    # Sandbox stand-ins of the app's upstream APIs, mounted at /sandbox/<label>/ on local/test only.
    sandbox_urls_module: str | None = None
    # API: viewsets on the product router, plus plain API views from ``api_urls_module`` under /api/,
    # and {name: url_name} entries the API root lists beside the router's.
    api_routes: Sequence[ApiRoute] = ()
    api_urls_module: str | None = None
    api_root_entries: dict[str, str] = {}
    nav: NavEntry | None = None
    home_card: HomeCard | None = None
    # DynamoDB: dotted paths of the app's PynamoDB models (subclasses of core.aws.dynamo.DynamoModel).
    dynamo_models: Sequence[str] = ()
    # SQS queues (each with a dead-letter queue), SNS topics and Kinesis streams.
    aws_resources: Sequence[Resource] = ()
    # Which handler each table stream, Kinesis stream or queue feeds (streams get an on-failure
    # queue ``<source>-dlq`` derived from the declaration).
    event_sources: Sequence[EventSourceDeclaration] = ()
    # ``load(user) -> str`` loading sample data for the demo user (local and test stages only).
    demo_loader: str | None = None
    # ``restore() -> str`` rebuilding the app's hot DynamoDB items from the relational store.
    hot_item_restorer: str | None = None
    # API schema: one component name for a choice set several fields share, {name: dotted path of
    # the choices} (drf-spectacular's ENUM_NAME_OVERRIDES, merged in by CoreConfig.ready).
    schema_enum_names: dict[str, str] = {}
    # What the app keeps of a user, for "Export my data" and "Delete my account" (accounts.services):
    # ``export(*, user) -> dict`` (JSON-able: everything of theirs the app holds, in every store) and
    # ``delete(*, user) -> str`` (removes it everywhere: rows, DynamoDB items, subscriptions elsewhere;
    # safe to run again after a failure; a one-line summary). An app that keeps nothing of anybody says
    # so with ``holds_no_user_data = True``; an app declaring neither fails core.contract.registry's check.
    account_exporter: str | None = None
    account_deleter: str | None = None
    holds_no_user_data: bool = False
    # Texts (SMS) other apps may send without importing the app that sends them: that one app declares
    # ``text_sender`` (``send(*, to, body) -> str``, the message id; raises when it could not) and
    # ``text_forgetter`` (``forget(*, texts) -> int``, ``texts`` a list of ``(to, body_prefix)``: deletes the copies its laptop outbox kept,
    # for "Delete my account"). Others call core.contract.registry.text_send / text_forget.
    text_sender: str | None = None
    text_forgetter: str | None = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "default" not in cls.__dict__:
            cls.default = True

    def pages_module(self) -> str | None:
        if self.url_prefix is None:
            return None
        return self.urls_module or f"{self.name}.urls"


class CoreConfig(ProductAppConfig):
    name = "core"
    verbose_name = "Runtime kernel"
    url_prefix = ""  # the home page
    dynamo_models = [
        "core.aws.dynamo.SessionItem",
        "core.aws.dynamo.UserSessionItem",
        "core.aws.dynamo.CacheItem",
    ]
    # A user's sessions (core/aws/sessions.py), and the laptop's email outbox (core/aws/mail.py).
    sandbox_urls_module = "core.web.sandbox_urls"
    account_exporter = "core.user_data.user_data_export"
    account_deleter = "core.user_data.user_data_delete"

    def ready(self) -> None:
        from django.conf import settings

        from core.aws import sessions
        from core.contract.registry import product_apps

        sessions.connect_signals()
        spectacular: dict[str, Any] = settings.SPECTACULAR_SETTINGS
        overrides = spectacular.setdefault("ENUM_NAME_OVERRIDES", {})
        for config in product_apps():
            overrides.update(config.schema_enum_names)
