"""What prices declares reaches the deploy tooling: the role may manage the topic's subscriptions."""

from core.contract.registry import event_sources
from core.deploy.iam import policy_document


def test_the_role_may_publish_to_and_manage_subscriptions_of_the_price_topic_only(db):
    statements = {s["Sid"]: s for s in policy_document(stage="prod", account="123456789012")["Statement"]}
    topic = "arn:aws:sns:us-east-1:123456789012:serverless-django-prod-price-drops"

    assert topic in statements["Topics"]["Resource"]
    assert statements["Topics"]["Action"] == ["sns:Publish", "sns:CreateTopic"]
    assert statements["TopicSubscriptions"]["Resource"] == [topic, f"{topic}:*"]
    assert "sns:Subscribe" in statements["TopicSubscriptions"]["Action"]
    assert not any(action.endswith("*") for action in statements["TopicSubscriptions"]["Action"])


def test_the_latest_price_stream_feeds_the_publisher():
    [source] = [s for s in event_sources() if s.app_label == "prices"]

    assert (source.service, source.suffix, source.function) == (
        "dynamodb",
        "latest-prices",
        "prices.events.on_price_change",
    )
    assert source.failure_queue == "latest-prices-dlq"
