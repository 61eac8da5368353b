"""Writes of prices: fetching the weekly reports, the latest-price hot items, drops, subscriptions.

``price_fetch_run`` is the weekly job (``manage.py fetch_prices``): it asks the open data for the
weeks after the newest stored one (or the newest N with a backfill), reads the whole answer first
(an upstream error, a non-JSON answer or one that is not a list stores nothing), stores every
(week, region) in one transaction (a refetched week changes nothing; a revised price is updated),
then writes each region's latest price as a hot item (``latest_prices_sync``: forwards only, so a
refetch writes nothing and the stream stays quiet).

``price_change_handle`` is the stream's side: a drop (the new price under the region's true
previous week) is recorded once per week and region (``PriceDrop``); once the week's last drop is
in, every subscriber gets one email listing the drops in their regions, with their own signed
unsubscribe link, once however often the stream delivers (``PriceAlert`` is the ledger).

Subscriptions live in the database and as SNS subscriptions (prices.notify) in one service each.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse

from core import clock
from core.http import UpstreamError
from prices import clients, notify, regions, selectors
from prices.models import OutboxEmail, PriceAlert, PriceDrop, PriceFetch, PriceReport, Subscription
from prices.parsing import ParsedRows, UnreadableAnswer, parse_rows

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "prices.unsubscribe.subscription"  # links of one subscription (not of a region)
UNSUBSCRIBE_MAX_AGE = 365 * 24 * 3600  # a link in an old email keeps working for a year
MIN_DROP_CENTS = range(1, 101)
TARGET_LOWEST, TARGET_HIGHEST = Decimal("1.00"), Decimal("9.99")  # a target price, dollars a gallon
MAX_BACKFILL = 50_000  # Socrata's largest $limit


class PriceFetchFailed(Exception):
    """The run stored nothing; ``str(exc)`` is one line for the person who ran it."""


# --- Fetching ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StoreCounts:
    created: int
    unchanged: int
    revised: int


@transaction.atomic
def price_reports_store(*, parsed: ParsedRows) -> StoreCounts:
    """Store every (week, region) price read; the same week again changes nothing."""
    if not parsed.prices:
        return StoreCounts(0, 0, 0)
    weeks = [week for week, _ in parsed.prices]
    existing = {
        (report.week, report.region): report
        for report in PriceReport.objects.filter(week__gte=min(weeks), week__lte=max(weeks))
    }
    now = clock.now()
    created, revised, unchanged = [], [], 0
    for (week, region), price in parsed.prices.items():
        report = existing.get((week, region))
        if report is None:
            created.append(PriceReport(week=week, region=region, price=price, fetched_at=now))
        elif report.price != price:
            report.price, report.fetched_at = price, now
            revised.append(report)
        else:
            unchanged += 1
    # ignore_conflicts: a fetch running at the same moment may have inserted the same week first.
    PriceReport.objects.bulk_create(created, batch_size=500, ignore_conflicts=True)
    PriceReport.objects.bulk_update(revised, ["price", "fetched_at"], batch_size=500)
    return StoreCounts(len(created), unchanged, len(revised))


def latest_prices_sync() -> int:
    """Write each region's latest week (with its true previous week) as its hot item, unless the
    table holds that week or a newer one already; how many items were written."""
    from pynamodb.exceptions import PutError

    from prices.dynamo import LatestPriceItem

    written = 0
    now = clock.now()
    for latest in selectors.price_latest_list():
        week = latest.week.isoformat()
        item = LatestPriceItem(
            latest.region,
            week=week,
            price=str(latest.price),
            previous_week=latest.previous_week.isoformat() if latest.previous_week else None,
            previous_price=str(latest.previous_price) if latest.previous_price is not None else None,
            updated_at=now,
        )
        try:
            item.save(condition=LatestPriceItem.week.does_not_exist() | (LatestPriceItem.week < week))
        except PutError as exc:
            if exc.cause_response_code == "ConditionalCheckFailedException":
                continue
            raise
        written += 1
    return written


def latest_prices_restore() -> str:
    """``restore_hot_items``: rebuild the latest-price items from the reports (drops already
    published are not published again: the ledger has them) and, with the local outbox, the SNS
    subscriptions the emulator forgot when it stopped (on AWS they outlive the function)."""
    written = latest_prices_sync()
    restored = subscriptions_restore() if settings.PRICES_EMAIL_DELIVERY == "outbox" else 0
    return f"Latest prices: {written} regions written, {restored} subscriptions restored."


def subscriptions_restore() -> int:
    """Subscribe every stored subscription again (SNS answers an existing one with its ARN)."""
    restored = 0
    for subscription in Subscription.objects.order_by("pk"):
        arn = notify.subscribe(subscription)
        if arn != subscription.sns_subscription_arn:
            subscription.sns_subscription_arn = arn
            subscription.save(update_fields=["sns_subscription_arn"])
        restored += 1
    return restored


def _rows_after(after: date | None) -> Any:
    """Every row after ``after``, a page of PRICES_FETCH_LIMIT at a time (at most MAX_BACKFILL);
    an answer that is not a list is returned as it is, for the parser to refuse."""
    size = settings.PRICES_FETCH_LIMIT
    rows: list[Any] = []
    while len(rows) < MAX_BACKFILL:
        page = clients.price_rows_fetch(after=after, limit=size, offset=len(rows))
        if not isinstance(page, list):
            return page
        rows += page
        if len(page) < size:
            break
    return rows


def price_fetch_run(*, backfill: int | None = None) -> PriceFetch:
    """One run of the weekly job; raises PriceFetchFailed (the run is recorded as failed) with one line."""
    if backfill is not None and not 1 <= backfill <= MAX_BACKFILL:
        raise PriceFetchFailed(f"--backfill takes 1 to {MAX_BACKFILL} weeks.")
    fetch = PriceFetch.objects.create(backfill=backfill)
    try:
        if backfill:
            answer = clients.price_rows_fetch(after=None, limit=backfill)
        else:
            answer = _rows_after(selectors.price_newest_week())
        parsed = parse_rows(answer)
    except (UpstreamError, UnreadableAnswer) as exc:
        fetch.status, fetch.failure, fetch.finished_at = PriceFetch.Status.FAILED, str(exc), clock.now()
        fetch.save()
        raise PriceFetchFailed(f"Nothing stored: {exc}") from exc
    counts = price_reports_store(parsed=parsed)
    fetch.rows_received = parsed.rows
    fetch.values_skipped = parsed.skipped
    fetch.reports_created, fetch.reports_unchanged, fetch.reports_revised = (
        counts.created,
        counts.unchanged,
        counts.revised,
    )
    fetch.save()
    try:
        fetch.hot_items_written = latest_prices_sync()
    except Exception as exc:  # the reports are stored; the next run writes the hot items again
        fetch.status, fetch.failure, fetch.finished_at = (
            PriceFetch.Status.FAILED,
            f"Latest prices not written: {exc}",
            clock.now(),
        )
        fetch.save()
        raise PriceFetchFailed(f"Reports stored, latest prices not written: {exc}") from exc
    fetch.status, fetch.finished_at = PriceFetch.Status.DONE, clock.now()
    fetch.save()
    return fetch


def price_fetches_sweep() -> int:
    """End every fetch still running past ``PRICES_FETCH_SECONDS`` (its function died: a Lambda
    killed at its timeout, a laptop stopped) as failed, with the reason; how many. Nothing is
    retried here: a fetch stores nothing twice and the next one asks for every week after the
    newest stored, so what this one missed comes with the next."""
    now = clock.now()
    reason = (
        "Interrupted: the run stopped before it finished (its function timed out or the process "
        "was stopped). What it stored stays; the next fetch asks for the weeks after the newest stored."
    )
    return PriceFetch.objects.filter(
        status=PriceFetch.Status.RUNNING,
        started_at__lt=now - timedelta(seconds=settings.PRICES_FETCH_SECONDS),
    ).update(status=PriceFetch.Status.FAILED, failure=reason, finished_at=now)


def price_fetch_summary(fetch: PriceFetch) -> str:
    return (
        f"Fetched {fetch.rows_received} rows: {fetch.reports_created} new reports, "
        f"{fetch.reports_unchanged} unchanged, {fetch.reports_revised} revised, "
        f"{fetch.values_skipped} values skipped; {fetch.hot_items_written} latest prices written."
    )


# --- Drops (the stream's side) ---------------------------------------------------------------


@dataclass(frozen=True)
class UnsubscribeLink:
    """What an alert's unsubscribe link names: its subscription, and the regions and week of the
    alert it came with."""

    subscription_id: int
    regions: list[str]
    week: date


def unsubscribe_token(*, subscription: Subscription, regions: list[str], week: date) -> str:
    """The signed link of one subscriber's alert (Django's signing: a timestamped HMAC)."""
    return signing.dumps(
        {"s": subscription.pk, "r": list(regions), "w": week.isoformat()},
        salt=UNSUBSCRIBE_SALT,
        compress=True,
    )


def unsubscribe_token_read(token: str) -> UnsubscribeLink:
    """What a link's token names; ValidationError if it is not one of ours or too old."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE)
        link = UnsubscribeLink(
            subscription_id=int(data["s"]), regions=list(data["r"]), week=date.fromisoformat(data["w"])
        )
    except signing.SignatureExpired as exc:
        raise ValidationError("This unsubscribe link is too old; unsubscribe from the prices page.") from exc
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise ValidationError("This unsubscribe link is not valid.") from exc
    if not all(region in regions.REGIONS for region in link.regions):
        raise ValidationError("This unsubscribe link is not valid.")
    return link


def site_url() -> str:
    """The product's address for links in messages (no request on the stream's side)."""
    if settings.PRICES_SITE_URL:
        return settings.PRICES_SITE_URL.rstrip("/")
    if settings.SANDBOX_BASE_URL:
        return settings.SANDBOX_BASE_URL.removesuffix("/").removesuffix("/sandbox")
    raise ValueError("Set PRICES_SITE_URL: drop alerts link to the product.")


def _dollars(price: Decimal) -> str:
    """$3.40, or $3.495 where the third decimal matters (so "under $3.50" never reads "$3.50")."""
    return f"${price:.2f}" if price == price.quantize(Decimal("0.01")) else f"${price:.3f}"


def _drop_line(drop: PriceDrop, target: Decimal | None = None) -> str:
    cents = drop.drop_cents.normalize()
    percent = (drop.previous_price - drop.price) / drop.previous_price * 100
    under = f" (under your ${target:.2f} target)" if target is not None and crossed(drop, target) else ""
    return (
        f"- {regions.label_of(drop.region)}: ${drop.previous_price:.2f} (week of {drop.previous_week:%d %b %Y}) "
        f"to {_dollars(drop.price)}, down {cents:f} cents a gallon ({percent:.1f} %){under}"
    )


def crossed(drop: PriceDrop, target: Decimal) -> bool:
    """The week the price fell under ``target``: under it now, at or over it the week before (so a
    price that stays under sends nothing more until it has been back at or over it)."""
    return drop.price < target <= drop.previous_price


def alert_drops(*, subscription: Subscription, drops: list[PriceDrop]) -> list[PriceDrop]:
    """The week's drops a subscription asked for: in its regions, and of its smallest drop or more,
    or crossing under its target."""
    minimum, target = subscription.min_drop_cents, subscription.target_price
    return [
        drop
        for drop in drops
        if drop.region in subscription.regions
        and (
            (minimum is not None and drop.drop_cents >= minimum)
            or (target is not None and crossed(drop, target))
        )
    ]


def price_alert_message(*, subscription: Subscription, week: date, drops: list[PriceDrop]) -> tuple[str, str]:
    """One subscriber's email for a week: every drop in their regions, and their own link."""
    base = site_url()
    first = drops[0]
    label = regions.label_of(first.region)
    target = subscription.target_price
    under = [drop for drop in drops if target is not None and crossed(drop, target)]
    if (
        len(drops) == 1
        and under
        and (subscription.min_drop_cents is None or first.drop_cents < subscription.min_drop_cents)
    ):
        subject = f"Gas under ${target:.2f} in {label}: {_dollars(first.price)}"
    elif len(drops) == 1:
        subject = (
            f"Gas price drop in {label}: ${first.price:.2f} (down {first.drop_cents.normalize():f} cents)"
        )
    else:
        subject = f"Gas prices dropped in {len(drops)} of your regions (week of {week:%d %b %Y})"
        if under:
            subject += f", {len(under)} under ${target:.2f}"
    token = unsubscribe_token(subscription=subscription, regions=[d.region for d in drops], week=week)
    body = (
        f"Gas prices dropped in the week of {week:%d %b %Y} in "
        f"{'1 region' if len(drops) == 1 else f'{len(drops)} regions'} you watch "
        f"({subscription.alerts_summary}):\n\n"
        + "\n".join(_drop_line(drop, target) for drop in drops)
        + f"\n\nSee the prices: {base}{reverse('prices:index')}?region={first.region}\n"
        f"Stop these alerts: {base}{reverse('prices:unsubscribe', args=[token])}\n"
        f"(sent to {subscription.email}; the link changes this subscription only.)\n"
    )
    return subject, body


def price_change_handle(
    *,
    region: str,
    week: date,
    price: Decimal,
    previous_week: date | None,
    previous_price: Decimal | None,
) -> str:
    """A region's new latest price: recorded if it is a drop, and the week's alerts sent once its
    last drop is in; what happened, in a word."""
    if region not in regions.REGIONS:
        return "unknown region"
    if previous_price is None or previous_week is None or price >= previous_price:
        return "no drop"
    complete = price_drop_record(
        region=region, week=week, price=price, previous_week=previous_week, previous_price=previous_price
    )
    if not complete:
        return "recorded"
    sent = price_alerts_send(week=week)
    return f"recorded, {sent} alerts sent"


def price_drop_record(
    *, region: str, week: date, price: Decimal, previous_week: date, previous_price: Decimal
) -> bool:
    """Record the drop once per (week, region); whether every drop of the week is in now.

    The week's reports are locked first, so two handlers of the same week take turns and the last
    one sees every drop the others recorded (on SQLite every write transaction takes turns anyway).
    The week's drops are the ones its stored reports show (``selectors.price_week_drop_regions``).
    """
    with transaction.atomic():
        list(PriceReport.objects.select_for_update().filter(week=week).order_by("pk").values_list("pk"))
        try:
            with transaction.atomic():
                PriceDrop.objects.get_or_create(
                    week=week,
                    region=region,
                    defaults={
                        "price": price,
                        "previous_week": previous_week,
                        "previous_price": previous_price,
                    },
                )
        except IntegrityError:  # another delivery inserted it between our read and insert
            pass
        recorded = set(PriceDrop.objects.filter(week=week).values_list("region", flat=True))
        return selectors.price_week_drop_regions(week=week) <= recorded


def price_alerts_send(*, week: date) -> int:
    """Email every subscriber whose regions had drops in ``week`` of their minimum or more, or
    falling under their target (``alert_drops``): one email each, listing them all; how many were sent now (none twice: ``PriceAlert``)."""
    drops = list(PriceDrop.objects.filter(week=week))
    order = {region: n for n, region in enumerate(regions.REGIONS)}
    drops.sort(key=lambda drop: order.get(drop.region, len(order)))
    sent = 0
    for subscription in Subscription.objects.order_by("pk"):
        chosen = alert_drops(subscription=subscription, drops=drops)
        if chosen and price_alert_send(subscription=subscription, week=week, drops=chosen):
            sent += 1
    return sent


def price_alert_send(*, subscription: Subscription, week: date, drops: list[PriceDrop]) -> bool:
    """Publish one subscriber's alert for ``week`` unless it was sent; whether it was sent now.

    The ledger row is locked while publishing, so a concurrent redelivery waits and then sees it
    sent; a publish that fails rolls the row back and the stream retries the record. (A function
    killed between SNS's answer and the commit is the one window left for a repeat.)
    """
    with transaction.atomic():
        try:
            with transaction.atomic():
                alert, _ = PriceAlert.objects.select_for_update().get_or_create(
                    subscription=subscription, week=week, defaults={"regions": [d.region for d in drops]}
                )
        except IntegrityError:
            alert = PriceAlert.objects.select_for_update().get(subscription=subscription, week=week)
        if alert.sent_at is not None:
            return False
        subject, body = price_alert_message(subscription=subscription, week=week, drops=drops)
        alert.regions = [d.region for d in drops]
        alert.sns_message_id = notify.publish(
            subject=subject, message=body, to=subscription.email, subscription_id=subscription.pk
        )
        alert.sent_at = clock.now()
        alert.save(update_fields=["regions", "sns_message_id", "sent_at"])
    logger.info("Sent the %s alert of subscription %s (%s)", week, subscription.pk, alert.sns_message_id)
    return True


# --- Subscriptions ---------------------------------------------------------------------------


def _clean_alerts(
    *, chosen: list[str], min_drop_cents: int | None, target_price: Decimal | None, errors: dict[str, str]
) -> list[str]:
    """Check what a subscription alerts on (adding to ``errors``); its regions in the regions' order."""
    unknown = [region for region in chosen if region not in regions.REGIONS]
    if not chosen:
        errors["regions"] = "Choose at least one region."
    elif unknown:
        errors["regions"] = f"Unknown region: {', '.join(map(str, unknown[:3]))}."
    if min_drop_cents is not None and min_drop_cents not in MIN_DROP_CENTS:
        errors["min_drop_cents"] = "The minimum drop is 1 to 100 cents."
    if target_price is not None and (
        not target_price.is_finite()
        or target_price != target_price.quantize(Decimal("0.01"))
        or not TARGET_LOWEST <= target_price <= TARGET_HIGHEST
    ):
        errors["target_price"] = (
            f"The target is a price from ${TARGET_LOWEST} to ${TARGET_HIGHEST} a gallon in whole cents, such as 3.50."
        )
    if min_drop_cents is None and target_price is None and "target_price" not in errors:
        errors["target_price"] = "Choose a smallest drop, a target price or both: an alert needs one of them."
    return [region for region in regions.REGIONS if region in set(chosen)]


def _clean_subscription(
    *, email: str, chosen: list[str], min_drop_cents: int | None, target_price: Decimal | None
) -> tuple[str, list[str]]:
    errors: dict[str, str] = {}
    email = (email or "").strip()
    try:
        validate_email(email)
        if len(email) > Subscription.EMAIL_MAX_LENGTH:
            raise ValidationError("too long")
    except ValidationError:
        errors["email"] = "Enter a valid email address."
    chosen = _clean_alerts(
        chosen=chosen, min_drop_cents=min_drop_cents, target_price=target_price, errors=errors
    )
    if errors:
        raise ValidationError(errors)
    domain_at = email.rfind("@")
    email = email[:domain_at] + email[domain_at:].lower()
    return email, chosen


def subscription_create(
    *,
    owner: User,
    email: str,
    regions: list[str],
    min_drop_cents: int | None,
    target_price: Decimal | None = None,
) -> Subscription:
    """Subscribe ``email`` to drops of ``regions`` of at least ``min_drop_cents`` and/or their
    falling under ``target_price`` (at least one of the two), for ``owner``.

    One subscription per address within an account; another account's subscription of the same
    address is neither refused nor revealed (they share SNS's subscription of the address). At
    most ``PRICES_MAX_SUBSCRIPTIONS`` per account. Raises ValidationError (by field) or
    notify.DeliveryUnavailable (nothing is stored then). SNS may ask the address to confirm first:
    ``confirmed_at`` stays None until it has.
    """
    email, chosen = _clean_subscription(
        email=email, chosen=list(regions), min_drop_cents=min_drop_cents, target_price=target_price
    )
    if Subscription.objects.filter(owner=owner).count() >= settings.PRICES_MAX_SUBSCRIPTIONS:
        raise ValidationError(
            {
                "email": f"You have {settings.PRICES_MAX_SUBSCRIPTIONS} subscriptions already; remove one first."
            }
        )
    taken = ValidationError(
        {"email": "You have subscribed this address already; edit that subscription to change its alerts."}
    )
    if Subscription.objects.filter(owner=owner, email__iexact=email).exists():
        raise taken
    with transaction.atomic():
        try:
            with transaction.atomic():
                subscription = Subscription.objects.create(
                    owner=owner,
                    email=email,
                    regions=chosen,
                    min_drop_cents=min_drop_cents,
                    target_price=target_price,
                )
        except IntegrityError as exc:
            raise taken from exc
        subscription.sns_subscription_arn = notify.subscribe(subscription)
        if notify.confirmed(subscription.sns_subscription_arn):
            subscription.confirmed_at = clock.now()
        subscription.save(update_fields=["sns_subscription_arn", "confirmed_at"])
    return subscription


UNCHANGED: Any = object()  # a field subscription_update leaves as it is


@transaction.atomic
def subscription_update(
    *,
    owner: User,
    pk: int,
    regions: list[str] = UNCHANGED,
    min_drop_cents: int | None = UNCHANGED,
    target_price: Decimal | None = UNCHANGED,
) -> Subscription:
    """Change what one of the owner's subscriptions alerts on (its regions, smallest drop, target),
    keeping its address, its SNS subscription and its confirmation; a field not given stays.
    Subscription.DoesNotExist if it is not theirs; ValidationError by field.

    The week's alert already sent stays the week's only one (the ledger is per subscription and
    week): a change applies from the next week's prices on."""
    subscription = Subscription.objects.select_for_update().get(owner=owner, pk=pk)
    chosen = list(subscription.regions if regions is UNCHANGED else regions)
    minimum = subscription.min_drop_cents if min_drop_cents is UNCHANGED else min_drop_cents
    target = subscription.target_price if target_price is UNCHANGED else target_price
    errors: dict[str, str] = {}
    chosen = _clean_alerts(chosen=chosen, min_drop_cents=minimum, target_price=target, errors=errors)
    if errors:
        raise ValidationError(errors)
    subscription.regions = chosen
    subscription.min_drop_cents = minimum
    subscription.target_price = target
    subscription.save(update_fields=["regions", "min_drop_cents", "target_price"])
    return subscription


def subscription_confirmations_refresh(*, owner: User) -> int:
    """Ask SNS about the owner's subscriptions still waiting for their address's confirmation (at
    most ``PRICES_MAX_SUBSCRIPTIONS`` calls, none once all are confirmed); how many are confirmed
    now. SNS out of reach changes nothing (they stay pending, one warning line)."""
    confirmed = 0
    pending = Subscription.objects.filter(owner=owner, confirmed_at__isnull=True).order_by("pk")
    for subscription in pending[: settings.PRICES_MAX_SUBSCRIPTIONS]:
        try:
            if not notify.confirmed(subscription.sns_subscription_arn):
                continue
        except notify.DeliveryUnavailable:
            logger.warning("SNS did not say whether subscription %s is confirmed", subscription.pk)
            return confirmed
        confirmed += Subscription.objects.filter(pk=subscription.pk, confirmed_at__isnull=True).update(
            confirmed_at=clock.now()
        )
    return confirmed


@transaction.atomic
def subscription_confirmation_resend(*, owner: User, pk: int) -> Subscription:
    """Subscribe the address on SNS again: SNS emails a pending address its confirmation link once
    more (and makes a new pending subscription if the old one expired, after 3 days). Confirmed
    already: nothing to send. Subscription.DoesNotExist if not theirs; notify.DeliveryUnavailable."""
    subscription = Subscription.objects.select_for_update().get(owner=owner, pk=pk)
    if subscription.confirmed_at is not None:
        return subscription
    subscription.sns_subscription_arn = notify.subscribe(subscription)
    if notify.confirmed(subscription.sns_subscription_arn):
        subscription.confirmed_at = clock.now()
    subscription.save(update_fields=["sns_subscription_arn", "confirmed_at"])
    return subscription


def _subscription_remove(subscription: Subscription) -> None:
    """Delete it, and SNS's subscription of its address unless another subscription shares it."""
    shared = Subscription.objects.filter(email=subscription.email).exclude(pk=subscription.pk).exists()
    if not shared:
        notify.unsubscribe(subscription.sns_subscription_arn)
    subscription.delete()


@transaction.atomic
def subscription_delete(*, owner: User, pk: int) -> None:
    """Remove one of the owner's subscriptions (Subscription.DoesNotExist if it is not theirs)."""
    subscription = Subscription.objects.select_for_update().get(owner=owner, pk=pk)
    _subscription_remove(subscription)


def subscription_of_link(*, token: str) -> tuple[UnsubscribeLink, Subscription | None]:
    """An alert's link and the subscription it was sent for (None if that is removed already);
    ValidationError if the link is not valid."""
    link = unsubscribe_token_read(token)
    return link, Subscription.objects.filter(pk=link.subscription_id).first()


@transaction.atomic
def subscription_unsubscribe(*, token: str, everything: bool) -> str:
    """The link in an alert, without logging in: it acts only on the subscription the alert was
    sent for. ``everything`` removes that subscription; otherwise only the regions the alert listed
    leave it (and it is removed once no region is left). What was done, in a sentence."""
    link = unsubscribe_token_read(token)
    subscription = Subscription.objects.select_for_update().filter(pk=link.subscription_id).first()
    if subscription is None:
        return "This subscription was removed already: no more alerts come from it."
    left = [region for region in subscription.regions if region not in link.regions]
    if everything or not left:
        _subscription_remove(subscription)
        return f"{subscription.email} gets no more alerts from this subscription."
    gone = [regions.label_of(region) for region in subscription.regions if region in link.regions]
    subscription.regions = left
    subscription.save(update_fields=["regions"])
    if not gone:
        return f"This subscription has no {', '.join(regions.label_of(r) for r in link.regions)} alerts any more."
    return (
        f"{subscription.email} gets no more {', '.join(gone)} alerts from this subscription "
        f"(still: {', '.join(subscription.region_labels)})."
    )


# --- The local outbox --------------------------------------------------------------------------


def outbox_collect() -> int:
    """Move what the local outbox queues received into OutboxEmail rows; how many were new."""
    new = 0
    for emails, acknowledge in notify.outbox_batches():
        with transaction.atomic():
            for email in emails:
                subscription_id = email["subscription"]
                owner_id = (
                    Subscription.objects.filter(pk=int(subscription_id))
                    .values_list("owner_id", flat=True)
                    .first()
                    if subscription_id.isdigit()
                    else None
                )
                _, created = OutboxEmail.objects.get_or_create(
                    sns_message_id=email["message_id"][:100],
                    to=email["to"],
                    defaults={"subject": email["subject"][:200], "body": email["body"], "owner_id": owner_id},
                )
                new += created
        acknowledge()
    return new


# --- Demo ------------------------------------------------------------------------------------

DEMO_EMAIL = "demo@example.com"


def prices_demo_load(*, owner: User) -> str:
    """The real 798 weeks (the sandbox's copy, read directly: the server is not up yet), the latest
    prices, and an alert for every region for the demo user; again changes nothing."""
    from prices.sandbox.data import rows

    counts = price_reports_store(parsed=parse_rows(rows()))
    written = latest_prices_sync()
    subscribed = 0
    if not Subscription.objects.filter(owner=owner, email__iexact=DEMO_EMAIL).exists():
        subscription_create(owner=owner, email=DEMO_EMAIL, regions=list(regions.REGIONS), min_drop_cents=1)
        subscribed = 1
    return (
        f"Prices: {counts.created} reports stored, {written} latest prices written, "
        f"{subscribed} alert subscription ({DEMO_EMAIL}) added."
    )
