from core.apps import ApiRoute, HomeCard, NavEntry, ProductAppConfig
from core.contract.resources import KinesisSource, KinesisStream, Queue, QueueSource


class ScraperConfig(ProductAppConfig):
    name = "scraper"
    verbose_name = "Movies scraper"
    url_prefix = "scraper/"
    sandbox_urls_module = "scraper.sandbox.urls"
    api_routes = [
        ApiRoute("scrapes", "scraper.api.ScrapeRunViewSet", "scrape"),
        ApiRoute("movies", "scraper.api.MovieViewSet", "movie"),
        ApiRoute("scrape-errors", "scraper.api.ScrapeErrorViewSet", "scrape-error"),
    ]
    nav = NavEntry("Movies", "scraper:index")
    home_card = HomeCard(
        "Movies scraper",
        "scraper:index",
        "Scrape a page of movies: its rows flow through Kinesis into DynamoDB; "
        "filter them by genre, year and title, and see what could not be read.",
    )
    dynamo_models = [
        "scraper.dynamo.MovieItem",
        "scraper.dynamo.ScrapeErrorItem",
    ]
    aws_resources = [
        # One scrape per message; a scrape may take a while, so the message stays hidden long enough.
        Queue("scrape-requests", visibility_timeout=180, max_receive_count=3),
        KinesisStream("movie-records"),
        KinesisStream("scrape-error-records"),
    ]
    # Failed stream batches (only transient failures fail: malformed records go to the error table)
    # end in the derived on-failure queues movie-records-dlq and scrape-error-records-dlq.
    event_sources = [
        QueueSource(queue="scrape-requests", handler="scraper.events.on_scrape_requests", batch_size=1),
        KinesisSource(stream="movie-records", handler="scraper.events.on_movie_records", batch_size=500),
        KinesisSource(
            stream="scrape-error-records", handler="scraper.events.on_scrape_errors", batch_size=100
        ),
    ]
    demo_loader = "scraper.demo.load_demo"
    # No hot_item_restorer: movies are DynamoDB's own data (as in the seed), rebuilt by scraping
    # again, not from the database (which keeps the runs only).
    # Everything of a user's, for "Export my data" and "Delete my account" (accounts.services).
    account_exporter = "scraper.user_data.user_data_export"
    account_deleter = "scraper.user_data.user_data_delete"
