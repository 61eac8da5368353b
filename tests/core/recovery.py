"""core runs one schedule (`check --deploy`), which only reads the settings: nothing waits in it."""

from tests.recovery import NothingInFlight

RECOVERY = NothingInFlight(
    "daily-check only reads the settings; sessions and throttles finish inside the request."
)
