"""The circuit breaker around REST Countries: pybreaker, with its state in DynamoDB.

pybreaker (a well-kept library) does the state logic: *closed* counts consecutive failures and
opens at ``COUNTRIES_BREAKER_FAIL_MAX``; *open* refuses every call (``CircuitBreakerError``, nothing
is sent upstream) until ``COUNTRIES_BREAKER_RESET_SECONDS`` have passed, then lets a trial call
through (*half-open*): its success closes the breaker, its failure opens it again. A 4xx answer
(REST Countries has no such country) is the caller's problem, not the upstream's: it never counts.

What is ours is where the state lives: :class:`DynamoBreakerStorage` keeps it in one item of the
``circuit-breakers`` table, read with a consistent GetItem and counted with atomic ADDs, so every
Lambda instance sees the same breaker (pybreaker re-reads the storage's state before each call,
as it does for its Redis storage). And the clock: pybreaker asks ``datetime.now`` directly, so
:class:`ClockedBreaker` uses core.clock instead (tests freeze it; production is unchanged).
Several instances may each make one trial call in half-open at the same moment; that is pybreaker's
semantics and harmless here (a trial is one GET).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache
from typing import Any

import pybreaker
from django.conf import settings

from core import clock
from core.http import UpstreamError

UPSTREAM = "rest-countries"


class DynamoBreakerStorage(pybreaker.CircuitBreakerStorage):
    """pybreaker's storage contract on one DynamoDB item (``BreakerStateItem``)."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self._key = name
        self._failures_seen: int | None = None  # the count in the item this instance read last

    def _item(self) -> Any:
        from countries.dynamo import BreakerStateItem

        try:
            item = BreakerStateItem.get(self._key, consistent_read=True)
        except BreakerStateItem.DoesNotExist:
            self._failures_seen = 0
            return None
        self._failures_seen = int(item.failures or 0)
        return item

    def _update(self, action: Any) -> None:
        from countries.dynamo import BreakerStateItem

        BreakerStateItem(self._key).update(actions=[action(BreakerStateItem)])

    @property
    def state(self) -> str:
        item = self._item()
        return item.state if item is not None and item.state else pybreaker.STATE_CLOSED

    @state.setter
    def state(self, state: str) -> None:
        self._update(lambda model: model.state.set(state))

    def increment_counter(self) -> None:
        self._update(lambda model: model.failures.add(1))
        self._failures_seen = None

    def reset_counter(self) -> None:
        # pybreaker resets after every success; when the state this call began with (read just
        # before) counted no failures, there is nothing to reset: one UpdateItem per fetch saved.
        if self._failures_seen == 0:
            return
        self._update(lambda model: model.failures.set(0))
        self._failures_seen = 0

    def increment_success_counter(self) -> None:
        self._update(lambda model: model.successes.add(1))

    def reset_success_counter(self) -> None:
        self._update(lambda model: model.successes.set(0))

    @property
    def counter(self) -> int:
        item = self._item()
        return int(item.failures or 0) if item is not None else 0

    @property
    def success_counter(self) -> int:
        item = self._item()
        return int(item.successes or 0) if item is not None else 0

    @property
    def opened_at(self) -> datetime | None:
        item = self._item()
        return item.opened_at if item is not None else None

    @opened_at.setter
    def opened_at(self, when: datetime) -> None:
        self._update(lambda model: model.opened_at.set(when))


class _ClockedOpenState(pybreaker.CircuitOpenState):
    def before_call(self, func: Any, *args: Any, **kwargs: Any) -> Any:
        opened_at = self._breaker._state_storage.opened_at
        if opened_at and clock.now() < opened_at + timedelta(seconds=self._breaker.reset_timeout):
            raise pybreaker.CircuitBreakerError("Timeout not elapsed yet, circuit breaker still open")
        self._breaker.half_open()
        return self._breaker.call(func, *args, **kwargs)


class ClockedBreaker(pybreaker.CircuitBreaker):
    """pybreaker's CircuitBreaker on the product's clock (core.clock)."""

    def _create_new_state(self, new_state: str, prev_state: Any = None, notify: bool = False) -> Any:
        if new_state == pybreaker.STATE_OPEN:
            return _ClockedOpenState(self, prev_state=prev_state, notify=notify)
        return super()._create_new_state(new_state, prev_state=prev_state, notify=notify)

    def open(self) -> bool:
        with self._lock:
            self._state_storage.opened_at = clock.now()
            self.state = self._state_storage.state = pybreaker.STATE_OPEN
            return self._throw_new_error_on_trip


def _not_the_upstreams_fault(exc: BaseException) -> bool:
    return isinstance(exc, UpstreamError) and exc.is_client_error


def upstream_breaker(name: str = UPSTREAM) -> ClockedBreaker:
    """This process's breaker on the shared state ``name`` (kept: building one reads the state)."""
    return _kept(name, settings.COUNTRIES_BREAKER_FAIL_MAX, settings.COUNTRIES_BREAKER_RESET_SECONDS)


@cache
def _kept(name: str, fail_max: int, reset_seconds: int) -> ClockedBreaker:
    return breaker_build(name=name, fail_max=fail_max, reset_seconds=reset_seconds)


def breaker_build(*, name: str, fail_max: int, reset_seconds: int) -> ClockedBreaker:
    """A new breaker object on the shared state ``name`` (what each Lambda instance holds)."""
    return ClockedBreaker(
        fail_max=fail_max,
        reset_timeout=reset_seconds,
        exclude=[_not_the_upstreams_fault],
        state_storage=DynamoBreakerStorage(name),
        name=name,
        # The call that trips it raises its own error (the attempt records the real reason).
        throw_new_error_on_trip=False,
    )


BreakerOpen = pybreaker.CircuitBreakerError
