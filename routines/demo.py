"""Sample data for ``manage.py load_demo``: the original routines-api's four routines, and a
reminder on Bedtime at 21:00 (by email when the demo user has an address, else by text to a
sandbox number), so ``make run`` shows one in the email outbox or the tracker's SMS outbox."""

from datetime import time

from routines.models import Routine
from routines.services import routine_reminder_set, routine_samples_load

DEMO_PHONE = "+15005550006"


def load_demo(*, user) -> str:
    summary = routine_samples_load(owner=user).summary()
    bedtime = Routine.objects.filter(owner=user, name__iexact="Bedtime", remind_at__isnull=True).first()
    if bedtime is not None:
        by = "email" if user.email else "sms"
        routine_reminder_set(routine=bedtime, remind_at=time(21, 0), remind_by=by, phone=DEMO_PHONE)
        summary += f" Bedtime reminds at 21:00 by {by}."
    return summary
