from core.apps import ApiRoute, HomeCard, NavEntry, ProductAppConfig
from core.contract.resources import Queue, QueueSource

# One message per fetch request. A failed fetch comes back after the visibility timeout; the 4th
# failed receive marks the request failed and the message then moves to fetch-requests-dlq.
FETCH_QUEUE = Queue("fetch-requests", visibility_timeout=60, max_receive_count=4)


class CountriesConfig(ProductAppConfig):
    name = "countries"
    verbose_name = "Countries"
    # The pages under /countries/ and the original's three endpoints at the root, one module.
    url_prefix = ""
    urls_module = "countries.urls"
    sandbox_urls_module = "countries.sandbox.urls"
    api_routes = [ApiRoute("country-fetches", "countries.api.FetchRequestViewSet", "country-fetch")]
    api_urls_module = "countries.api_urls"
    api_root_entries = {"countries": "countries-api"}
    nav = NavEntry("Countries", "countries:index")
    home_card = HomeCard(
        "Countries",
        "countries:index",
        "Fetch a country from REST Countries in the background: see its card, flag and map, "
        "and every fetch attempt with its status.",
    )
    dynamo_models = ["countries.dynamo.CountryItem", "countries.dynamo.BreakerStateItem"]
    aws_resources = [FETCH_QUEUE]
    event_sources = [
        QueueSource(queue=FETCH_QUEUE.name, handler="countries.events.on_fetch_requests", batch_size=10)
    ]
    demo_loader = "countries.demo.load_demo"
    hot_item_restorer = "countries.services.country_documents_restore"
    # Everything of a user's, for "Export my data" and "Delete my account" (accounts.services).
    account_exporter = "countries.user_data.user_data_export"
    account_deleter = "countries.user_data.user_data_delete"
