"""Writes of the tracker: adding and stopping orders, the poll run, the texts, the hot items.

Adding (:func:`order_create`) validates exactly (tracker URL, token, phone, stages; field errors as
``ValidationError``), encrypts the token with KMS and records the order. Stopping
(:func:`order_stop`) ends tracking and erases the token, as every end of tracking does.

The poll run (:func:`orders_poll`, ``manage.py poll_orders`` every minute):

1. *Lease* the orders to work on (active ones, and ended ones with a text still to send) with one
   UPDATE: an order leased by a run still going is skipped, so overlapping runs (a slow run and
   the next minute's, or Lambda retrying an invocation) never poll the same order at once. A
   lease lasts ``LEASE``; a run that died simply lets it expire.
2. *Poll* them concurrently: a bounded thread pool (``TRACKER_POLL_WORKERS``) sharing one HTTP
   session (``clients.py``), each worker decrypting its order's token and asking the tracker. No
   database work happens in the workers. Whatever the tracker answers (HTML, 5xx, a timeout,
   JSON without ``Status``) is a failed poll of that order with its reason, never an exception.
3. *Record* in one transaction, with statements grouped by outcome (by stage transition, by
   failure reason, by how tracking ended), so the number of queries does not grow with the
   number of orders: each stage change is a ``StatusChange`` row. Tracking ends when the order is
   completed, after ``TRACKER_MAX_FAILED_POLLS`` failed polls in a row, ``TRACKER_MAX_MINUTES``
   after it started, or at a 401/403 (the token expired: the user is texted once). In steps:
   ``_order_outcome`` decides each order in memory (``_poll_failed``, ``_stage_seen``) into
   ``_Outcomes``, and ``_outcomes_write`` writes each group with one statement.
4. *Hot items*: the latest state of every polled order to DynamoDB (BatchWriteItem).
5. *Texts*: each text due is claimed in the DynamoDB ledger by a conditional write before it is
   sent (``dynamo.TextLedgerItem``), so a text is sent once per order and stage however runs
   overlap or repeat; the Twilio SID is recorded after the send; a refused send is retried by the
   next run (up to ``TEXT_ATTEMPTS``), one whose answer never came is not (Twilio may have sent it).
   A claim still ``sending`` keeps the text pending; once older than ``TRACKER_TEXT_SEND_SECONDS``
   (its run died between the claim and Twilio's answer) the next run resolves it from Twilio's
   message list: recorded as sent, sent now, or ``unknown`` with the reason on the order.

A token KMS will not decrypt, whatever KMS's reason, ends tracking as ``token_unreadable`` with
one text saying so; KMS being busy is a failed poll like any other.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, Q

from core import clock
from core.errors import DependencyUnavailable, LimitReached
from tracker import order_stages
from tracker.models import StatusChange, TrackedOrder

if TYPE_CHECKING:
    from accounts.models import User
    from tracker.clients import Poll
    from tracker.dynamo import OrderStateItem

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)
RESERVE = 3.0  # seconds before the deadline: no poll starts later (the last record, texts, release)
RECORD_EVERY = 2.0  # seconds: finished polls are recorded in groups as the run goes
TEXT_ATTEMPTS = 5
Tracking = TrackedOrder.Tracking
T = TypeVar("T")
R = TypeVar("R")


class TooManyOrders(LimitReached):
    """The user already tracks ``TRACKER_MAX_ACTIVE_ORDERS`` orders (the API's 429)."""


class OrderNotStored(DependencyUnavailable):
    """KMS could not encrypt the token: nothing was stored (the API's 503)."""


# --- Adding and stopping ----------------------------------------------------------------------


def order_input_errors(**values: Any) -> dict[str, str]:
    """What is wrong with each given field of an order (``tracker_url``, ``token``, ``phone``,
    ``texted_stages``, ``name``; a field left out is not checked): the API reports these beside its own type
    errors, so every wrong field is named at once."""
    errors: dict[str, str] = {}
    if "tracker_url" in values:
        url = values["tracker_url"].strip() if isinstance(values["tracker_url"], str) else ""
        if order_stages.cart_id(url) is None:
            errors["tracker_url"] = (
                f"Give the tracker URL exactly as your browser shows it: {order_stages.url_help()} "
                "(https, digits only at the end, nothing after them)."
            )
    if "token" in values:
        token_text = values["token"].strip() if isinstance(values["token"], str) else ""
        if not order_stages.token_ok(token_text):
            errors["token"] = (
                'The token is "Bearer " followed by the text your browser sent, with no spaces in it.'
            )
    if "phone" in values:
        phone = values["phone"]
        phone_text = phone.replace(" ", "").replace("-", "") if isinstance(phone, str) else ""
        if not order_stages.phone_ok(phone_text):
            errors["phone"] = (
                "Give the number in international (E.164) format: a plus, the country code and the "
                "number, e.g. +60123456789."
            )
    if "name" in values and (problem := order_stages.name_error(values["name"])):
        errors["name"] = problem
    if "texted_stages" in values:
        chosen = list(
            order_stages.DEFAULT_TEXTED if values["texted_stages"] is None else values["texted_stages"]
        )
        unknown = [code for code in chosen if code not in order_stages.TEXTABLE]
        if unknown:
            errors["texted_stages"] = (
                f"Choose among {', '.join(order_stages.TEXTABLE)}; not {', '.join(map(str, unknown))}."
            )
        elif not chosen:
            errors["texted_stages"] = order_stages.NO_STAGE_CHOSEN
    return errors


def _clean(
    *, tracker_url: Any, token: Any, phone: Any, texted_stages: Any, name: Any = ""
) -> tuple[str, str, str, str, list[str], str]:
    errors = order_input_errors(
        tracker_url=tracker_url, token=token, phone=phone, texted_stages=texted_stages, name=name
    )
    if errors:
        raise ValidationError(errors)
    url = tracker_url.strip()
    return (
        url,
        order_stages.cart_id(url) or "",
        token.strip(),
        _phone_clean(phone),
        _stages_clean(texted_stages),
        name.strip(),
    )


def _phone_clean(phone: str) -> str:
    return phone.replace(" ", "").replace("-", "")


def _stages_clean(texted_stages: Iterable[str] | None) -> list[str]:
    chosen = list(order_stages.DEFAULT_TEXTED if texted_stages is None else texted_stages)
    return [code for code in order_stages.TEXTABLE if code in chosen]


def order_create(
    *,
    owner: User,
    tracker_url: str,
    token: str,
    phone: str,
    texted_stages: Iterable[str] | None = None,
    name: str = "",
) -> TrackedOrder:
    """Start tracking an order; ``ValidationError`` by field, ``TooManyOrders`` past the limit."""
    from django.contrib.auth import get_user_model

    from tracker.tokens import token_encrypt

    url, cart, token_text, phone_text, chosen, name_text = _clean(
        tracker_url=tracker_url, token=token, phone=phone, texted_stages=texted_stages, name=name
    )
    try:
        ciphertext = token_encrypt(token=token_text, owner_id=owner.pk)
    except Exception as exc:
        logger.exception("The token of a new order of user %s could not be encrypted", owner.pk)
        raise OrderNotStored(
            "The token could not be stored safely right now; try again in a moment."
        ) from exc
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=owner.pk).first()  # one owner at a time
        active = TrackedOrder.objects.filter(owner=owner, tracking=Tracking.ACTIVE)
        if active.filter(tracker_url=url).exists():
            raise ValidationError({"tracker_url": "You are already tracking this order."})
        limit = settings.TRACKER_MAX_ACTIVE_ORDERS
        if active.count() >= limit:
            raise TooManyOrders(f"You already track {limit} orders; stop one first.")
        order = TrackedOrder.objects.create(
            owner=owner,
            tracker_url=url,
            cart_id=cart,
            name=name_text,
            phone=phone_text,
            texted_stages=",".join(chosen),
            token_ciphertext=ciphertext,
        )
    _states_put([order])
    return order


def order_stop(*, owner: User, pk: int) -> TrackedOrder:
    """Stop tracking one of the owner's orders (its token is erased); an ended order stays as it is."""
    from tracker.selectors import order_get

    order = order_get(owner=owner, pk=pk)
    now = clock.now()
    TrackedOrder.objects.filter(pk=order.pk, tracking=Tracking.ACTIVE).update(
        tracking=Tracking.STOPPED, ended_at=now, token_ciphertext=None
    )
    order.refresh_from_db()
    _states_put([order])
    return order


def order_hidden_set(*, owner: User, pk: int, hidden: bool) -> TrackedOrder:
    """Hide one of the owner's ended orders from their list (or show it again); an order still
    being tracked cannot be hidden (``ValidationError`` keyed ``hidden``): stop it first."""
    return order_update(owner=owner, pk=pk, hidden=hidden)


ENDED_PHONE = "Tracking has ended: nothing more is texted, so the phone and stages stay as they were."


@transaction.atomic
def order_update(
    *,
    owner: User,
    pk: int,
    name: str | None = None,
    phone: str | None = None,
    texted_stages: Iterable[str] | None = None,
    hidden: bool | None = None,
) -> TrackedOrder:
    """Change one of the owner's orders; ``None`` leaves a field as it is. The name can change at
    any time; the phone and the stages to text at only while the order is tracked (the next text
    goes to the new phone, at the new stages; a stage already passed is not texted afterwards);
    only an ended order can be hidden. ``ValidationError`` by field, nothing changed."""
    from tracker.selectors import order_get

    order = order_get(owner=owner, pk=pk)
    given = {
        key: value
        for key, value in {"name": name, "phone": phone, "texted_stages": texted_stages}.items()
        if value is not None
    }
    if "texted_stages" in given:
        given["texted_stages"] = list(given["texted_stages"])
    errors = order_input_errors(**given)
    if not order.is_active:
        for key in ("phone", "texted_stages"):
            if key in given and key not in errors:
                errors[key] = ENDED_PHONE
    if hidden and order.is_active:
        errors["hidden"] = "This order is still being tracked: stop tracking it before hiding it."
    if errors:
        raise ValidationError(errors)
    changes: dict[str, Any] = {}
    if name is not None:
        changes["name"] = name.strip()
    if phone is not None:
        changes["phone"] = _phone_clean(phone)
    if texted_stages is not None:
        changes["texted_stages"] = ",".join(_stages_clean(given["texted_stages"]))
    if hidden is not None and hidden != order.hidden:
        changes["hidden_at"] = clock.now() if hidden else None
    if changes:
        # Only these columns: a poll run recording this order meanwhile writes other ones. The
        # phone and stages change only while it is tracked (a run may end it meanwhile).
        rows = TrackedOrder.objects.filter(pk=order.pk)
        if "phone" in changes or "texted_stages" in changes:
            rows = rows.filter(tracking=Tracking.ACTIVE)
        if not rows.update(**changes):
            raise ValidationError({"phone" if "phone" in changes else "texted_stages": ENDED_PHONE})
        for key, value in changes.items():
            setattr(order, key, value)
    return order


def order_remove(*, owner: User, pk: int) -> int:
    """Remove one of the owner's ended orders for good: its timeline, its latest state and its text
    ledger in DynamoDB, then the row; the id removed. An order still being tracked, or with a text
    still due, is refused (``ValidationError`` keyed ``tracking``): stop it, or wait a minute. If
    DynamoDB cannot be reached nothing is removed (``DependencyUnavailable``)."""
    from tracker.dynamo import OrderStateItem, TextLedgerItem
    from tracker.selectors import order_get

    order = order_get(owner=owner, pk=pk)
    if order.is_active:
        raise ValidationError(
            {"tracking": "This order is still being tracked: stop tracking it before removing it."}
        )
    held = order.lease_until is not None and order.lease_until > clock.now()  # a poll run still on it
    if order.texts_pending or held:
        raise ValidationError(
            {"tracking": "A text of this order is still being sent: try again in a minute."}
        )
    # Once ended, nothing makes an order tracked again or gives it a new text to send, and a run
    # that ended it writes its hot item before it lets the lease go: the checks above hold.
    # DynamoDB first, so a failure there leaves the order whole (and removable again).
    try:
        ledger = list(TextLedgerItem.query(str(order.pk), consistent_read=True))
        with TextLedgerItem.batch_write() as batch:
            for item in ledger:
                batch.delete(item)
        OrderStateItem(str(order.pk)).delete()
    except Exception as exc:
        logger.exception("The DynamoDB items of order %s could not be removed", order.pk)
        raise DependencyUnavailable(
            "The order could not be removed right now; try again in a moment."
        ) from exc
    with transaction.atomic():
        TrackedOrder.objects.filter(pk=order.pk, owner=owner).exclude(tracking=Tracking.ACTIVE).delete()
    return order.pk


# --- The poll run ---------------------------------------------------------------------------


@dataclass
class PollSummary:
    polled: int = 0
    changed: int = 0
    failed: int = 0
    ended: int = 0
    texts_sent: int = 0
    texts_failed: int = 0
    skipped: int = 0  # leased by another run still going
    unreached: int = 0  # leased but not polled before the deadline (released for the next run)
    ends: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)  # per phase, for the benchmark and logs

    def line(self) -> str:
        texts = f"{self.texts_sent} text{'' if self.texts_sent == 1 else 's'} sent"
        line = (
            f"Polled {self.polled} order{'' if self.polled == 1 else 's'}: {self.changed} changed, "
            f"{self.failed} failed, {texts}"
        )
        if self.texts_failed:
            line += f", {self.texts_failed} not sent"
        if self.unreached:
            line += f"; {self.unreached} not reached before the deadline"
        if self.ended:
            line += (
                f"; tracking ended for {self.ended} ("
                + ", ".join(f"{count} {name.replace('_', ' ')}" for name, count in sorted(self.ends.items()))
                + ")"
            )
        return line + "."


def _parallel(items: list[T], work: Callable[[T], R]) -> list[R]:
    if not items:
        return []
    workers = max(1, min(settings.TRACKER_POLL_WORKERS, len(items)))
    if workers == 1:
        return [work(item) for item in items]
    from concurrent.futures import ThreadPoolExecutor  # the poll's, not the web's: imported here

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="tracker-poll") as pool:
        return list(pool.map(work, items))


def _poll_one(order: TrackedOrder) -> Poll:
    """Decrypt the token and ask the tracker (in a worker thread: no database here)."""
    from tracker.clients import Poll, stage_fetch
    from tracker.tokens import TokenUnreadable, token_decrypt

    try:
        if not order.token_ciphertext:
            return Poll(error="No token is stored for this order.", expired=True)
        token = token_decrypt(ciphertext=order.token_ciphertext, owner_id=order.owner_id)
        return stage_fetch(url=order.tracker_url, token=token)
    except TokenUnreadable as exc:
        return Poll(error=str(exc), unreadable=True)
    except Exception as exc:  # one order's surprise must not end the whole run
        logger.exception("Polling order %s failed", order.pk)
        # No promise here: the same words end the order's tracking when it is the last failed poll.
        return Poll(error=f"The poll failed unexpectedly ({type(exc).__name__}).")


def _duration(minutes: int) -> str:
    if minutes % 60:
        return f"{minutes} minute{'' if minutes == 1 else 's'}"
    hours = minutes // 60
    return f"{hours} hour{'' if hours == 1 else 's'}"


def _ids(orders: Iterable[TrackedOrder]) -> list[int]:
    return [order.pk for order in orders]


def _insert_changes(*, ids: list[int], stage: str, previous: str, seen_at: datetime) -> None:
    """One StatusChange per order in ``ids`` with one INSERT ... SELECT (not a row per order)."""
    changes, orders = StatusChange._meta.db_table, TrackedOrder._meta.db_table
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {changes} (order_id, stage, previous, seen_at) "
            f"SELECT id, %s, %s, %s FROM {orders} WHERE id IN ({marks})",
            [stage, previous, seen_at, *ids],
        )


@dataclass
class _Outcomes:
    """What one group of polls found, grouped so each group is one statement (not one per order)."""

    now: datetime
    summary: PollSummary
    transitions: dict[tuple[str, str], list[TrackedOrder]] = field(default_factory=lambda: defaultdict(list))
    failures: dict[str, list[TrackedOrder]] = field(default_factory=lambda: defaultdict(list))
    recovered: list[TrackedOrder] = field(default_factory=list)
    ends: dict[tuple[str, str], list[TrackedOrder]] = field(default_factory=lambda: defaultdict(list))
    due_texts: dict[TrackedOrder, list[str]] = field(default_factory=dict)

    def end(self, order: TrackedOrder, tracking: str, reason: str = "") -> None:
        order.tracking, order.ended_at, order.token_ciphertext = tracking, self.now, None
        if reason:
            order.last_error = reason
        self.ends[(tracking, order.last_error)].append(order)
        self.summary.ends[tracking] = self.summary.ends.get(tracking, 0) + 1

    def text(self, order: TrackedOrder, key: str) -> None:
        if key not in order.pending_list:
            order.texts_pending = ",".join([*order.pending_list, key])
            self.due_texts[order] = order.pending_list


def _record(
    orders: list[TrackedOrder], polls: dict[int, Poll], now: datetime, summary: PollSummary
) -> set[int]:
    """Apply what the polls found, in the database, grouped by outcome; the ids whose state changed."""
    outcomes = _Outcomes(now=now, summary=summary)
    for order in orders:
        _order_outcome(order, polls.get(order.pk), outcomes)
    summary.ended += sum(len(group) for group in outcomes.ends.values())
    polled_ids = [order.pk for order in orders if order.pk in polls]
    _outcomes_write(outcomes, polled_ids)
    return set(polled_ids) | {o.pk for group in outcomes.ends.values() for o in group}


def _order_outcome(order: TrackedOrder, poll: Poll | None, outcomes: _Outcomes) -> None:
    """Decide, in memory, what one order's poll means (or its absence: not reached, or too old)."""
    if not order.is_active:
        return
    if poll is None:
        started_before = outcomes.now - timedelta(minutes=settings.TRACKER_MAX_MINUTES)
        if order.started_at <= started_before:  # tracked for too long: not polled
            outcomes.end(
                order,
                Tracking.TIMED_OUT,
                f"Stopped {_duration(settings.TRACKER_MAX_MINUTES)} after it started.",
            )
        return  # otherwise not reached before the deadline: the next run polls it
    outcomes.summary.polled += 1
    order.polls += 1
    order.last_polled_at = outcomes.now
    if poll.unreadable or poll.expired or not poll.ok:
        _poll_failed(order, poll, outcomes)
    else:
        _stage_seen(order, poll, outcomes)


def _poll_failed(order: TrackedOrder, poll: Poll, outcomes: _Outcomes) -> None:
    """A failed poll: an unreadable or expired token ends tracking (with one text saying so); any
    other failure counts towards ``TRACKER_MAX_FAILED_POLLS`` in a row."""
    outcomes.summary.failed += 1
    order.failed_polls += 1
    if poll.unreadable:
        outcomes.end(order, Tracking.TOKEN_UNREADABLE, poll.error)
        outcomes.text(order, order_stages.TOKEN_UNREADABLE)
    elif poll.expired:
        outcomes.end(order, Tracking.TOKEN_EXPIRED, f"Token expired: {poll.error}")
        outcomes.text(order, order_stages.TOKEN_EXPIRED)
    else:
        order.last_error = poll.error
        if order.failed_polls >= settings.TRACKER_MAX_FAILED_POLLS:
            outcomes.end(
                order,
                Tracking.FAILED,
                f"Stopped after {order.failed_polls} failed polls in a row: {poll.error}",
            )
        else:
            outcomes.failures[poll.error].append(order)


def _stage_seen(order: TrackedOrder, poll: Poll, outcomes: _Outcomes) -> None:
    """A poll that answered a stage: failures are forgotten; a new stage is a transition (texted if
    chosen; the final stage completes the order)."""
    if order.failed_polls or order.last_error:
        outcomes.recovered.append(order)
    order.failed_polls, order.last_error = 0, ""
    assert poll.stage is not None
    if poll.stage == order.stage:
        return
    outcomes.summary.changed += 1
    outcomes.transitions[(order.stage, poll.stage)].append(order)
    order.stage, order.stage_at = poll.stage, outcomes.now
    if poll.stage in order.texted_list:
        outcomes.text(order, poll.stage)
    if poll.stage in order_stages.FINAL:
        outcomes.end(order, Tracking.COMPLETED)


@transaction.atomic
def _outcomes_write(outcomes: _Outcomes, polled_ids: list[int]) -> None:
    """Write the outcomes in one transaction, one statement per group."""
    now = outcomes.now
    if polled_ids:
        TrackedOrder.objects.filter(pk__in=polled_ids).update(polls=F("polls") + 1, last_polled_at=now)
    changed = _transitions_write(outcomes.transitions, now)
    if outcomes.recovered:
        TrackedOrder.objects.filter(pk__in=[o.pk for o in outcomes.recovered if o.pk not in changed]).update(
            failed_polls=0, last_error=""
        )
    for reason, group in outcomes.failures.items():
        TrackedOrder.objects.filter(pk__in=_ids(group)).update(
            failed_polls=F("failed_polls") + 1, last_error=reason
        )
    _ends_write(outcomes.ends, now)
    pending: dict[str, list[int]] = defaultdict(list)
    for order in outcomes.due_texts:
        pending[order.texts_pending].append(order.pk)
    for value, ids in pending.items():
        TrackedOrder.objects.filter(pk__in=ids).update(texts_pending=value)


def _transitions_write(transitions: dict[tuple[str, str], list[TrackedOrder]], now: datetime) -> set[int]:
    """The new stages and their ``StatusChange`` rows, per (previous, stage); the ids that changed."""
    for (previous, stage), group in transitions.items():
        ids = _ids(group)
        TrackedOrder.objects.filter(pk__in=ids).update(
            stage=stage, stage_at=now, failed_polls=0, last_error=""
        )
        _insert_changes(ids=ids, stage=stage, previous=previous, seen_at=now)
    return {order.pk for group in transitions.values() for order in group}


_FAILED_ENDS = (Tracking.FAILED, Tracking.TOKEN_EXPIRED, Tracking.TOKEN_UNREADABLE)


def _ends_write(ends: dict[tuple[str, str], list[TrackedOrder]], now: datetime) -> None:
    """End tracking, per (how, reason): the token erased; an order its owner stopped meanwhile stays stopped."""
    for (tracking, reason), group in ends.items():
        TrackedOrder.objects.filter(pk__in=_ids(group), tracking=Tracking.ACTIVE).update(
            tracking=tracking,
            ended_at=now,
            token_ciphertext=None,
            last_error=reason,
            failed_polls=F("failed_polls") + (1 if tracking in _FAILED_ENDS else 0),
        )


def _text_body(order: TrackedOrder, key: str) -> str:
    if key == order_stages.TOKEN_EXPIRED:
        return (
            f"Your Domino's tracker token for order {order.cart_id} expired, so tracking stopped. "
            "Add the order again with a fresh token to keep following it."
        )
    if key == order_stages.TOKEN_UNREADABLE:
        return (
            f"Tracking of your Domino's order {order.cart_id} stopped: its stored token could not be read. "
            "Add the order again with your token to keep following it."
        )
    return f"Domino's order {order.cart_id}: {order_stages.label(key)} ({key})."


def _send_deadline() -> timedelta:
    return timedelta(seconds=settings.TRACKER_TEXT_SEND_SECONDS)


def _text_one(order: TrackedOrder, key: str, run: str) -> tuple[str, str]:
    """Claim the ledger item, send, record; (outcome, reason). Outcomes: sent, failed, unknown,
    gave_up, taken (sent, or ended unknown, by someone else) and in_flight (claimed by a run that
    may still be sending: asked again by the next run)."""
    from pynamodb.exceptions import PutError, UpdateError

    from tracker.dynamo import TextLedgerItem as Ledger

    now = clock.now()
    item = Ledger(
        order_id=str(order.pk),
        key=key,
        status=Ledger.SENDING,
        body=_text_body(order, key),
        attempts=1,
        claimed_at=now,
        claim=run,
    )
    try:
        item.save(condition=Ledger.order_id.does_not_exist())
    except PutError as exc:
        if exc.cause_response_code != "ConditionalCheckFailedException":
            raise
        item = Ledger.get(str(order.pk), key, consistent_read=True)
        if item.status == Ledger.SENDING:
            if now - item.claimed_at < _send_deadline():
                return "in_flight", ""
            return _text_resolve(order, item, run, now)
        if item.status != Ledger.FAILED:
            return "taken", ""
        if item.attempts >= TEXT_ATTEMPTS:
            return "gave_up", item.error or ""
        try:
            item.update(
                actions=[
                    Ledger.status.set(Ledger.SENDING),
                    Ledger.attempts.add(1),
                    Ledger.claim.set(run),
                    Ledger.claimed_at.set(now),
                ],
                condition=(Ledger.status == Ledger.FAILED) & (Ledger.attempts == item.attempts),
            )
        except UpdateError as update_exc:
            if update_exc.cause_response_code != "ConditionalCheckFailedException":
                raise
            return "taken", ""
    return _text_send_claimed(order, item)


def _text_send_claimed(order: TrackedOrder, item: Any) -> tuple[str, str]:
    """Send the text whose ledger item this run holds, and record what Twilio said."""
    from tracker.clients import TextFailed, text_send
    from tracker.dynamo import TextLedgerItem as Ledger

    try:
        sid = text_send(to=order.phone, body=item.body)
    except TextFailed as exc:
        status = Ledger.FAILED if exc.certain else Ledger.UNKNOWN
        item.update(actions=[Ledger.status.set(status), Ledger.error.set(str(exc))])
        if not exc.certain:
            return "unknown", str(exc)
        return ("gave_up" if item.attempts >= TEXT_ATTEMPTS else "failed"), str(exc)
    item.update(
        actions=[
            Ledger.status.set(Ledger.SENT),
            Ledger.message_sid.set(sid),
            Ledger.sent_at.set(clock.now()),
            Ledger.error.remove(),
        ]
    )
    return "sent", ""


def _text_resolve(order: TrackedOrder, item: Any, run: str, now: datetime) -> tuple[str, str]:
    """A claim older than the send's deadline: the run holding it died between claiming and
    recording Twilio's answer. Twilio's message list says what happened: a text it took is recorded
    as sent; none is sent now (the claim taken over, conditionally: one run resolves it); if Twilio
    cannot say, the text is ``unknown`` and the order shows why (never sent twice)."""
    from pynamodb.exceptions import UpdateError

    from tracker.clients import LookupFailed, text_find
    from tracker.dynamo import TextLedgerItem as Ledger

    held = (Ledger.status == Ledger.SENDING) & (Ledger.claim == item.claim)
    actions: list[Any]
    try:
        sid = text_find(to=order.phone, body=item.body, since=item.claimed_at)
        if sid:
            actions = [
                Ledger.status.set(Ledger.SENT),
                Ledger.message_sid.set(sid),
                Ledger.sent_at.set(now),
                Ledger.error.remove(),
            ]
        else:
            actions = [Ledger.claim.set(run), Ledger.claimed_at.set(now), Ledger.attempts.add(1)]
    except LookupFailed as exc:
        sid, reason = (
            None,
            (
                "the run sending it stopped before Twilio answered, and Twilio could not say whether it "
                f"took it ({exc})."
            ),
        )
        actions = [Ledger.status.set(Ledger.UNKNOWN), Ledger.error.set(reason)]
    else:
        reason = ""
    try:
        item.update(actions=actions, condition=held)
    except UpdateError as exc:
        if exc.cause_response_code != "ConditionalCheckFailedException":
            raise
        return "in_flight", ""  # another run resolved it first: the next run sees how
    if reason:
        return "unknown", reason
    if sid:
        return "sent", ""
    return _text_send_claimed(order, item)


def _send_texts(
    orders: list[TrackedOrder], run: str, summary: PollSummary, *, cutoff: float | None = None
) -> None:
    jobs = [(order, key) for order in orders for key in order.pending_list]
    if not jobs:
        return

    def work(job: tuple[TrackedOrder, str]) -> tuple[str, str]:
        if cutoff is not None and time.monotonic() >= cutoff:
            return "later", ""  # no time left to send it: still pending for the next run
        try:
            return _text_one(job[0], job[1], run)
        except Exception as exc:  # the ledger could not be read or written: try again next run
            logger.exception("Text %s of order %s failed", job[1], job[0].pk)
            return "failed", f"The text could not be recorded ({type(exc).__name__}); it is tried again."

    outcomes = _parallel(jobs, work)
    left: dict[TrackedOrder, list[str]] = defaultdict(list)
    sent: dict[TrackedOrder, int] = defaultdict(int)
    errors: dict[TrackedOrder, str] = {}
    for (order, key), (outcome, reason) in zip(jobs, outcomes, strict=True):
        left.setdefault(order, [])
        if outcome == "sent":
            summary.texts_sent += 1
            sent[order] += 1
        elif outcome == "in_flight":
            left[order].append(key)  # still being sent (or resolved) by another run: asked again
        elif outcome == "later":
            left[order].append(key)
        elif outcome == "failed":
            summary.texts_failed += 1
            left[order].append(key)
            errors[order] = (
                f"The text about {order_stages.label(key)} was not sent: {reason} It is tried again."
            )
        elif outcome == "gave_up":
            summary.texts_failed += 1
            errors[order] = (
                f"The text about {order_stages.label(key)} was not sent after {TEXT_ATTEMPTS} tries: {reason}"
            )
        elif outcome == "unknown":
            summary.texts_failed += 1
            errors[order] = f"The text about {order_stages.label(key)} may not have arrived: {reason}"
    groups: dict[tuple[str, int, str], list[int]] = defaultdict(list)
    for order, keys in left.items():
        groups[(",".join(keys), sent[order], errors.get(order, ""))].append(order.pk)
    with transaction.atomic():
        for (pending, count, error), ids in groups.items():
            changes: dict[str, Any] = {"texts_pending": pending, "texts_sent": F("texts_sent") + count}
            if error:
                changes["last_error"] = error
            TrackedOrder.objects.filter(pk__in=ids).update(**changes)


class _Phases:
    def __init__(self, summary: PollSummary) -> None:
        self.summary, self.started = summary, time.perf_counter()

    def done(self, phase: str) -> None:
        now = time.perf_counter()
        self.summary.seconds[phase] = self.summary.seconds.get(phase, 0.0) + now - self.started
        self.started = now


def _clients_warm() -> None:
    """Build the shared clients once, here, before the workers start (not fifty times at once in them)."""
    from tracker.clients import tracker_client
    from tracker.dynamo import TextLedgerItem
    from tracker.tokens import kms

    kms()
    tracker_client().session()
    TextLedgerItem._get_connection().connection.client  # noqa: B018 (builds the botocore client)


def _poll_until(orders: list[TrackedOrder], cutoff: float) -> Iterator[dict[int, Poll]]:
    """Poll ``orders`` concurrently; yield the finished polls every ``RECORD_EVERY`` seconds.

    No poll starts after ``cutoff``, and at ``cutoff`` the polls still running are abandoned (their
    threads end at their HTTP timeout; the answer is dropped): the caller records what finished
    and releases the rest, which the next run polls first.
    """
    if not orders:
        return
    from concurrent.futures import ThreadPoolExecutor, wait  # the poll's, not the web's: imported here

    def work(order: TrackedOrder) -> Poll | None:
        return _poll_one(order) if time.monotonic() < cutoff else None

    workers = max(1, min(settings.TRACKER_POLL_WORKERS, len(orders)))
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="tracker-poll")
    futures = {pool.submit(work, order): order.pk for order in orders}
    waiting = set(futures)
    try:
        while waiting:
            left = cutoff - time.monotonic()
            if left <= 0:
                break
            done, waiting = wait(waiting, timeout=min(RECORD_EVERY, left))
            finished = {futures[f]: poll for f in done if (poll := f.result()) is not None}
            if finished:
                yield finished
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _lease(*, run: str, now: datetime, shard: tuple[int, int] | None, limit: int | None) -> int:
    """Lease the due orders (of ``shard``: id % n == k), least recently polled first; how many."""
    due = Q(tracking=Tracking.ACTIVE) | ~Q(texts_pending="")
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    candidates = TrackedOrder.objects.filter(due & free)
    if shard is not None:
        index, count = shard
        candidates = candidates.alias(shard=F("pk") % count).filter(shard=index)
    if limit is not None:  # the ones waiting longest first: a run cut short never starves the rest
        ids = candidates.order_by(F("last_polled_at").asc(nulls_first=True), "pk").values_list(
            "pk", flat=True
        )[:limit]
        candidates = TrackedOrder.objects.filter(pk__in=list(ids)).filter(due & free)
    return candidates.update(lease_id=run, lease_until=now + LEASE)


def orders_poll(
    *,
    now: datetime | None = None,
    deadline: float | None = None,
    shard: tuple[int, int] | None = None,
    limit: int | None = None,
) -> PollSummary:
    """One poll run over the active orders (and every text still due), done by ``deadline``.

    ``deadline`` is a ``time.monotonic()`` (default: ``TRACKER_POLL_SECONDS`` from now, or the
    invocation's if earlier, core.aws.deadlines). No poll starts later than ``RESERVE`` seconds before
    it; what finished is recorded every ``RECORD_EVERY`` seconds as the run goes (a run killed
    anyway keeps all but the last few seconds), and every order not reached is released at the
    end, the least recently polled first in line for the next run. ``shard`` (k, n) takes only the
    orders whose id % n == k; ``limit`` at most that many (fan_out: poll_orders --shards).
    """
    import uuid

    from core.aws.deadlines import deadline_earliest

    now = now or clock.now()
    deadline = deadline_earliest(deadline, time.monotonic() + settings.TRACKER_POLL_SECONDS)
    assert deadline is not None
    cutoff = deadline - RESERVE
    run = uuid.uuid4().hex
    summary = PollSummary()
    _lease(run=run, now=now, shard=shard, limit=limit)
    try:
        orders = list(TrackedOrder.objects.filter(lease_id=run).order_by("pk"))
        due = Q(tracking=Tracking.ACTIVE) | ~Q(texts_pending="")
        free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
        summary.skipped = TrackedOrder.objects.filter(due & ~free).exclude(lease_id=run).count()
        started_before = now - timedelta(minutes=settings.TRACKER_MAX_MINUTES)
        to_poll = [o for o in orders if o.is_active and o.started_at > started_before]
        if orders:
            _clients_warm()
        timer = _Phases(summary)
        # Orders that need no poll (past the time limit, or ended with a text still due) go first.
        polled_ids = set(_ids(to_poll))
        unpolled = [o for o in orders if o.pk not in polled_ids]
        if unpolled:
            _record_and_text(unpolled, {}, now, run, summary, cutoff)
        by_id = {o.pk: o for o in to_poll}
        for polls in _poll_until(to_poll, cutoff):
            timer.done("poll")
            _record_and_text([by_id[pk] for pk in sorted(polls)], polls, now, run, summary, cutoff)
            timer.done("record")
        summary.unreached = len(to_poll) - summary.polled
        if summary.unreached:
            logger.warning(
                "Poll run stopped at its deadline: %d of %d orders not reached, released for the next run",
                summary.unreached,
                len(to_poll),
            )
    finally:
        TrackedOrder.objects.filter(lease_id=run).update(lease_id="", lease_until=None)
    return summary


def _record_and_text(
    orders: list[TrackedOrder],
    polls: dict[int, Poll],
    now: datetime,
    run: str,
    summary: PollSummary,
    cutoff: float,
) -> None:
    """Record one group of finished polls, write their hot items, send their texts, release them."""
    touched = _record(orders, polls, now, summary)
    _states_put([order for order in orders if order.pk in touched])
    _send_texts(orders, run, summary, cutoff=cutoff)
    TrackedOrder.objects.filter(pk__in=_ids(orders), lease_id=run).update(lease_id="", lease_until=None)


POLL_SHARDS_QUEUE = "poll-shards"


@dataclass(frozen=True)
class FanOut:
    orders: int  # due and free when counted
    shards: int  # messages sent (0: polled here instead)

    def line(self) -> str:
        return f"Fanned out {self.orders} orders in {self.shards} shards of at most {settings.TRACKER_POLL_SHARD_SIZE}."


def orders_poll_fan_out(*, now: datetime | None = None) -> FanOut | PollSummary:
    """The every-minute entry: poll here when the due orders fit one run (``TRACKER_POLL_SHARD_SIZE``),
    otherwise send one message per shard (id % n == k) to the ``poll-shards`` queue, whose handler
    polls each shard in its own invocation with its own deadline (tracker.events.on_poll_shard).
    If the queue refuses, this run polls what it can (least recently polled first) by its deadline.
    """
    import json
    import math

    from core.aws import client
    from core.contract.naming import resource_name

    now = now or clock.now()
    due = Q(tracking=Tracking.ACTIVE) | ~Q(texts_pending="")
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    count = TrackedOrder.objects.filter(due & free).count()
    size = max(1, settings.TRACKER_POLL_SHARD_SIZE)
    if count <= size:
        return orders_poll(now=now)
    shards = math.ceil(count / size)
    until = time.time() + settings.TRACKER_POLL_SECONDS  # wall clock: another process reads it
    bodies = [json.dumps({"shard": k, "of": shards, "until": until}) for k in range(shards)]
    try:
        sqs = client("sqs")
        url = sqs.get_queue_url(QueueName=resource_name(POLL_SHARDS_QUEUE))["QueueUrl"]
        for start in range(0, shards, 10):  # SendMessageBatch takes 10 messages
            entries = [
                {"Id": str(k), "MessageBody": bodies[k]} for k in range(start, min(start + 10, shards))
            ]
            failed = sqs.send_message_batch(QueueUrl=url, Entries=entries).get("Failed") or []
            if failed:
                raise RuntimeError(f"SQS refused {len(failed)} shard messages: {failed[0].get('Message')}")
    except Exception as exc:
        logger.warning(
            "Poll fan-out failed (%s): this run polls the %d orders it can by its deadline", exc, count
        )
        return orders_poll(now=now, limit=size)
    return FanOut(orders=count, shards=shards)


def order_shard_poll(*, shard: int, of: int, until: float) -> PollSummary | None:
    """Poll one shard of a fan-out by ``until`` (epoch seconds); None for a message past it."""
    left = until - time.time()
    if left <= RESERVE:
        logger.warning("Poll shard %d/%d dropped: its minute is over (the next fan-out covers it)", shard, of)
        return None
    return orders_poll(shard=(shard, of), deadline=time.monotonic() + left)


# --- Hot items -------------------------------------------------------------------------------


def _state_item(order: TrackedOrder) -> OrderStateItem:
    from tracker.dynamo import OrderStateItem

    return OrderStateItem(
        str(order.pk),
        owner=str(order.owner_id),
        tracking=order.tracking,
        stage=order.stage or None,
        stage_at=order.stage_at,
        polled_at=order.last_polled_at,
        failed_polls=order.failed_polls,
        last_error=order.last_error or None,
    )


def _states_put(orders: list[TrackedOrder]) -> None:
    """Write the orders' latest state to DynamoDB; the database stays the record if it fails."""
    if not orders:
        return
    from tracker.dynamo import OrderStateItem

    def write(chunk: list[TrackedOrder]) -> int:
        try:
            with OrderStateItem.batch_write() as batch:
                for order in chunk:
                    batch.save(_state_item(order))
        except Exception:
            logger.exception("The latest state of %d orders was not written to DynamoDB", len(chunk))
            return 0
        return len(chunk)

    # BatchWriteItem takes 25 items a request: the chunks are written side by side.
    _parallel([orders[start : start + 25] for start in range(0, len(orders), 25)], write)


def order_states_restore() -> str:
    """Rebuild every order's hot item from the database (after the emulator restarts)."""
    count = 0
    batch: list[TrackedOrder] = []
    for order in TrackedOrder.objects.order_by("pk").iterator(chunk_size=500):
        batch.append(order)
        if len(batch) == 500:
            _states_put(batch)
            count, batch = count + len(batch), []
    _states_put(batch)
    count += len(batch)
    return f"Restored the latest state of {count} tracked order{'' if count == 1 else 's'}."
