"""Everything the installed apps declare on their AppConfig (core.apps), collected and resolved.

config (URLs, the API router), the navigation, provisioning, IAM, the event runner and the Lambda
router all read the apps through these functions, so none of them names an app.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.utils.module_loading import import_string

from core.apps import ProductAppConfig
from core.contract.naming import dead_letter_name, resource_name
from core.contract.resources import (
    EventSourceDeclaration,
    KinesisSource,
    KinesisStream,
    Queue,
    QueueSource,
    Resource,
    StreamSource,
)

if TYPE_CHECKING:
    from core.aws.dynamo import DynamoModel


class DeclarationError(ValueError):
    """An app declares something inconsistent (an unknown queue, a table without a stream...)."""


def product_apps() -> list[ProductAppConfig]:
    """The installed apps that follow the registration contract, in INSTALLED_APPS order."""
    return [config for config in apps.get_app_configs() if isinstance(config, ProductAppConfig)]


def dynamo_models() -> list[type[DynamoModel]]:
    """Every app's PynamoDB models (imports them: PynamoDB and botocore come along)."""
    return [import_string(path) for config in product_apps() for path in config.dynamo_models]


@dataclass(frozen=True)
class EventSource:
    """A declared event source, resolved: the resource's suffix and the handler it feeds."""

    function: str
    service: str  # dynamodb | kinesis | sqs
    suffix: str  # e.g. "routine-days"; the stage's name is core.contract.naming.resource_name(suffix)
    batch_size: int
    starting_position: str = "TRIM_HORIZON"
    app_label: str = ""

    @property
    def is_stream(self) -> bool:
        return self.service in ("dynamodb", "kinesis")

    def name(self, *, stage: str | None = None) -> str:
        return resource_name(self.suffix, stage=stage)

    @property
    def failure_queue(self) -> str | None:
        """The suffix of the on-failure queue of a stream source (SQS sources use their DLQ)."""
        return dead_letter_name(self.suffix) if self.is_stream else None


def _resolve(config: ProductAppConfig, declaration: EventSourceDeclaration) -> EventSource:
    if isinstance(declaration, StreamSource):
        model = import_string(declaration.model)
        if not getattr(model.Meta, "stream_view_type", None):
            raise DeclarationError(
                f"{config.label}: {declaration.model} has no stream (set stream_view_type)."
            )
        suffix, position = model.Meta.table_suffix, declaration.starting_position
    elif isinstance(declaration, KinesisSource):
        suffix, position = declaration.stream, declaration.starting_position
    elif isinstance(declaration, QueueSource):
        suffix, position = declaration.queue, ""
    else:
        raise DeclarationError(f"{config.label}: unknown event source {declaration!r}.")
    return EventSource(
        function=declaration.handler,
        service=declaration.service,
        suffix=suffix,
        batch_size=declaration.batch_size,
        starting_position=position,
        app_label=config.label,
    )


def event_sources() -> list[EventSource]:
    """Every declared event source (imports the stream sources' models to learn their tables)."""
    return [_resolve(config, d) for config in product_apps() for d in config.event_sources]


def event_source_for(service: str, name: str) -> EventSource | None:
    """The source a Lambda record came from, by service and this stage's resource name."""
    for source in event_sources():
        if source.service == service and source.name() == name:
            return source
    return None


# The dead-letter queue of the function's asynchronous invocations (the schedules' commands): its
# ARN is the stage's ``dead_letter_arn`` in zappa_settings.json, so a failed scheduled command ends
# there after Lambda's two retries instead of vanishing.
FAILED_INVOCATIONS = Queue("failed-invocations", dead_letter=False, retention_seconds=14 * 24 * 3600)


def declared_resources() -> list[Resource]:
    """Every queue, topic and Kinesis stream, the on-failure queue of every stream source, and the
    function's dead-letter queue."""
    found: list[Resource] = [r for config in product_apps() for r in config.aws_resources]
    found.append(FAILED_INVOCATIONS)
    for source in event_sources():
        if source.failure_queue:
            found.append(Queue(source.failure_queue, dead_letter=False, retention_seconds=14 * 24 * 3600))
    return found


def check_user_data_declarations(configs: list[ProductAppConfig] | None = None) -> list[str]:
    """Apps that do not say what they keep of a user (an exporter and a deleter, or
    ``holds_no_user_data``): "Delete my account" would leave their data behind."""
    problems = []
    for config in product_apps() if configs is None else configs:
        if config.holds_no_user_data:
            if config.account_exporter or config.account_deleter:
                problems.append(
                    f"{config.label}: holds_no_user_data is set, yet it declares an account exporter or deleter."
                )
            continue
        missing = [name for name in ("account_exporter", "account_deleter") if not getattr(config, name)]
        if missing:
            problems.append(
                f"{config.label}: declares no {' and no '.join(missing)} (core.apps.ProductAppConfig): "
                "what it keeps of a user would survive the deletion of their account and be missing "
                "from their export; an app that keeps nothing of anybody sets holds_no_user_data = True."
            )
    return problems


def check_declarations() -> list[str]:
    """Problems in what the apps declare (each a sentence); empty when everything is consistent."""
    problems = check_user_data_declarations()
    resources = {(type(r), r.name) for config in product_apps() for r in config.aws_resources}
    for config in product_apps():
        for declaration in config.event_sources:
            if isinstance(declaration, QueueSource) and (Queue, declaration.queue) not in resources:
                problems.append(
                    f"{config.label}: queue {declaration.queue!r} feeds a handler but is not declared."
                )
            if (
                isinstance(declaration, KinesisSource)
                and (KinesisStream, declaration.stream) not in resources
            ):
                problems.append(
                    f"{config.label}: stream {declaration.stream!r} feeds a handler but is not declared."
                )
            try:
                import_string(declaration.handler)
            except ImportError as exc:
                problems.append(
                    f"{config.label}: handler {declaration.handler!r} cannot be imported ({exc})."
                )
    return problems


def _callables(attribute: str) -> Iterator[tuple[ProductAppConfig, Callable[..., Any]]]:
    for config in product_apps():
        path = getattr(config, attribute)
        if path:
            yield config, import_string(path)


class NoTextSender(LookupError):
    """No installed app declares ``text_sender``: texts cannot be sent."""


def _text_capability(attribute: str) -> Callable[..., Any]:
    found = [function for _, function in _callables(attribute)]
    if not found:
        raise NoTextSender(f"No installed app declares {attribute}: texts cannot be sent.")
    return found[0]


def text_send(*, to: str, body: str) -> str:
    """Send one SMS through the app that sends texts (its ``text_sender``); the message id."""
    return _text_capability("text_sender")(to=to, body=body)


def text_forget(*, texts: list[tuple[str, str]]) -> int:
    """Delete the laptop outbox's copies of texts, each ``(to, body_prefix)``: a text to ``to`` whose body
    starts with ``body_prefix``; how many were deleted."""
    if not texts:
        return 0
    try:
        forget = _text_capability("text_forgetter")
    except NoTextSender:
        return 0
    return forget(texts=texts)


def demo_loaders() -> Iterator[tuple[ProductAppConfig, Callable[..., str]]]:
    return _callables("demo_loader")


def hot_item_restorers() -> Iterator[tuple[ProductAppConfig, Callable[[], str]]]:
    return _callables("hot_item_restorer")


def account_exporters() -> Iterator[tuple[ProductAppConfig, Callable[..., dict[str, Any]]]]:
    """``export(*, user) -> dict`` of every app that keeps something of users."""
    return _callables("account_exporter")


def account_deleters() -> Iterator[tuple[ProductAppConfig, Callable[..., str]]]:
    """``delete(*, user) -> str`` of every app that keeps something of users."""
    return _callables("account_deleter")
