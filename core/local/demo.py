"""The local demo user that ``make run`` prints the login of (local and test stages only)."""

from django.contrib.auth import get_user_model
from django.db import transaction


@transaction.atomic
def demo_user_ensure(*, username: str, password: str):
    """Create the local demo user (an admin), or reset its password so the printed credentials work."""
    user, created = get_user_model().objects.get_or_create(username=username)
    user.set_password(password)
    user.is_staff = user.is_superuser = True  # the local demo user may look around the admin too
    user.save()
    return user, created
