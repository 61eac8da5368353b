from core.apps import ApiRoute, HomeCard, NavEntry, ProductAppConfig
from core.contract.resources import KmsKey, Queue, QueueSource


class TrackerConfig(ProductAppConfig):
    name = "tracker"
    verbose_name = "Pizza tracker"
    url_prefix = "tracker/"
    sandbox_urls_module = "tracker.sandbox.urls"
    api_routes = [ApiRoute("orders", "tracker.api.OrderViewSet", "order")]
    nav = NavEntry("Pizza tracker", "tracker:index")
    home_card = HomeCard(
        "Pizza tracker",
        "tracker:index",
        "Give a Domino's tracker URL and token once: every stage is recorded on a live timeline "
        "and you get one text at each stage you chose.",
    )
    dynamo_models = ["tracker.dynamo.OrderStateItem", "tracker.dynamo.TextLedgerItem"]
    # Tokens are encrypted at rest with this key (tracker/tokens.py); the database never holds it.
    aws_resources = [
        KmsKey("tracker-tokens", description="Domino's tracker tokens of tracked orders"),
        # The every-minute poll's fan-out when the due orders do not fit one run (services.py).
        Queue("poll-shards", visibility_timeout=60, max_receive_count=1),
    ]
    # The poll itself is a schedule (poll-orders in zappa_settings.json); each shard one invocation.
    event_sources = [QueueSource(queue="poll-shards", handler="tracker.events.on_poll_shard", batch_size=1)]
    demo_loader = "tracker.demo.load_demo"
    hot_item_restorer = "tracker.services.order_states_restore"
    # Everything of a user's, for "Export my data" and "Delete my account" (accounts.services).
    account_exporter = "tracker.user_data.user_data_export"
    account_deleter = "tracker.user_data.user_data_delete"
    # Other apps' texts (routines' reminders) go out the same way: Twilio, its sandbox on the laptop.
    text_sender = "tracker.clients.text_send"
    text_forgetter = "tracker.user_data.sandbox_texts_forget"
