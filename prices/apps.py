from core.apps import ApiRoute, HomeCard, NavEntry, ProductAppConfig
from core.contract.resources import StreamSource, Topic


class PricesConfig(ProductAppConfig):
    name = "prices"
    verbose_name = "Gas prices"
    url_prefix = "prices/"
    sandbox_urls_module = "prices.sandbox.urls"
    api_routes = [
        ApiRoute("prices", "prices.api.PriceReportViewSet", "price"),
        ApiRoute("price-subscriptions", "prices.api.SubscriptionViewSet", "price-subscription"),
    ]
    nav = NavEntry("Gas prices", "prices:index")
    home_card = HomeCard(
        "NY gas prices",
        "prices:index",
        "New York gasoline prices by region, week by week; get an email when prices drop where you drive.",
    )
    dynamo_models = ["prices.dynamo.LatestPriceItem"]
    # Drops are published to this topic; each subscription is an SNS subscription with a filter policy.
    aws_resources = [Topic("price-drops", subscriptions=True)]
    # The latest-price items' stream publishes drops; failing records end in latest-prices-dlq.
    event_sources = [
        StreamSource(model="prices.dynamo.LatestPriceItem", handler="prices.events.on_price_change")
    ]
    demo_loader = "prices.demo.load_demo"
    hot_item_restorer = "prices.services.latest_prices_restore"
    # The regions of a report, a subscription and the query: one enum in the API schema.
    schema_enum_names = {"PriceRegionEnum": "prices.regions.CHOICES"}
    # Everything of a user's, for "Export my data" and "Delete my account" (accounts.services).
    account_exporter = "prices.user_data.user_data_export"
    account_deleter = "prices.user_data.user_data_delete"
