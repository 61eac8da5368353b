"""The circuit breaker: pybreaker's three states, its state in DynamoDB shared by every instance."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pybreaker
import pytest

from core.http import UpstreamError
from countries.breaker import breaker_build, upstream_breaker
from countries.dynamo import BreakerStateItem

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def fail():
    raise UpstreamError("REST Countries answered 503 Service Unavailable.", status=503)


def not_found():
    raise UpstreamError("REST Countries answered 404 Not Found.", status=404)


def ok():
    return {"cca2": "PY"}


@pytest.fixture
def dynamodb_calls(aws):
    """The DynamoDB operations the breaker's table receives during the test (botocore's event hooks)."""
    seen: list[str] = []

    def record(model, **kwargs):
        seen.append(model.name)

    botocore_client = BreakerStateItem._get_connection().connection.client
    botocore_client.meta.events.register("before-call.dynamodb", record)
    yield seen
    botocore_client.meta.events.unregister("before-call.dynamodb", record)


@pytest.fixture
def breakers(aws, settings, clock):
    settings.COUNTRIES_BREAKER_FAIL_MAX = 3
    settings.COUNTRIES_BREAKER_RESET_SECONDS = 60
    clock.set(T0)
    # Two Lambda instances: two breakers, each with its own storage object, on the one shared item.
    return (
        breaker_build(name="test-upstream", fail_max=3, reset_seconds=60),
        breaker_build(name="test-upstream", fail_max=3, reset_seconds=60),
    )


def test_failures_on_two_instances_add_up_and_open_the_breaker_for_both(breakers):
    one, two = breakers
    for breaker in (one, two, one):
        with pytest.raises(UpstreamError):
            breaker.call(fail)

    assert one.current_state == two.current_state == "open"
    with pytest.raises(pybreaker.CircuitBreakerError):
        two.call(ok)  # nothing is called while open
    item = BreakerStateItem.get("test-upstream")
    assert (item.state, item.failures, item.opened_at) == ("open", 3, T0)


def test_a_success_resets_the_count_of_consecutive_failures(breakers):
    one, two = breakers
    for _ in range(2):
        with pytest.raises(UpstreamError):
            one.call(fail)
    assert two.call(ok) == {"cca2": "PY"}
    with pytest.raises(UpstreamError):
        one.call(fail)

    assert one.current_state == "closed"
    assert one.fail_counter == 1


def test_a_missing_country_is_not_the_upstreams_fault_and_never_opens_it(breakers):
    one, _ = breakers
    for _ in range(5):
        with pytest.raises(UpstreamError):
            one.call(not_found)

    assert one.current_state == "closed"


def test_after_the_reset_timeout_one_trial_call_closes_it_or_opens_it_again(breakers, clock):
    one, two = breakers
    for _ in range(3):
        with pytest.raises(UpstreamError):
            one.call(fail)

    clock.set(T0 + timedelta(seconds=59))
    with pytest.raises(pybreaker.CircuitBreakerError):
        two.call(ok)

    clock.set(T0 + timedelta(seconds=60))
    with pytest.raises(UpstreamError):
        two.call(fail)  # the trial (half-open) failed: open again, from now
    assert one.current_state == "open"
    assert BreakerStateItem.get("test-upstream").opened_at == T0 + timedelta(seconds=60)

    clock.set(T0 + timedelta(seconds=119))
    with pytest.raises(pybreaker.CircuitBreakerError):
        one.call(ok)
    clock.set(T0 + timedelta(seconds=120))
    assert one.call(ok) == {"cca2": "PY"}  # the trial succeeded: closed for everybody
    assert two.current_state == "closed"
    assert two.call(ok) == {"cca2": "PY"}


def test_half_open_is_a_state_every_instance_sees(breakers, clock):
    one, two = breakers
    for _ in range(3):
        with pytest.raises(UpstreamError):
            one.call(fail)
    clock.set(T0 + timedelta(seconds=61))
    one.half_open()

    assert two.current_state == "half-open"


def test_the_worker_keeps_one_breaker_per_process_and_settings(settings):
    settings.COUNTRIES_BREAKER_FAIL_MAX = 3
    assert upstream_breaker() is upstream_breaker()
    settings.COUNTRIES_BREAKER_FAIL_MAX = 4
    assert upstream_breaker().fail_max == 4


def test_a_success_writes_nothing_when_no_failure_was_counted(breakers, dynamodb_calls):
    one, _ = breakers
    one.call(ok)
    one.call(ok)

    assert dynamodb_calls == ["GetItem", "GetItem"]  # the state read of each call, no reset written
