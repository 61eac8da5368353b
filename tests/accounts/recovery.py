"""accounts: sign-up, log-in and tokens finish inside their request: nothing waits in any state."""

from tests.recovery import NothingInFlight

RECOVERY = NothingInFlight(
    "sign-up, log-in and tokens are done before the answer; no queue, stream or schedule."
)
