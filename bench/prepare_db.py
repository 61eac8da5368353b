"""Prepare the SQLite file the cold-start benchmark reads, through the unzipped package itself.

Run by bench/cold_start.py as ``python -I -S -B bench/prepare_db.py PACKAGE RUNTIME OUT.json`` with
DATABASE_URL pointing at the file: migrates, then creates one user with an API token and 20
routines of 5 items (ORM only: nothing is written to DynamoDB). Writes {"token": ...} to OUT.json.
"""

import json
import os
import sys

package_dir, runtime_dir, out_path = sys.argv[1:4]
sys.path[:0] = [package_dir]
sys.path.append(runtime_dir)
os.chdir(package_dir)

from config.lambda_http import _zappa_settings  # noqa: E402

_zappa_settings()  # the stage's environment, as on Lambda
import django  # noqa: E402

django.setup()
from django.core.management import call_command  # noqa: E402

call_command("migrate", "--noinput", verbosity=0)
from django.contrib.auth import get_user_model  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from routines.models import Routine, RoutineItem  # noqa: E402

# Through the user model itself, so packages of older trees (before the accounts app) bench too.
user = get_user_model().objects.create_user(username="bench", password="bench-Pass-2026!")
for number in range(20):
    routine = Routine.objects.create(owner=user, name=f"Routine {number}", position=number)
    RoutineItem.objects.bulk_create(
        RoutineItem(routine=routine, text=f"Step {step}", position=step) for step in range(5)
    )
with open(out_path, "w") as out:
    json.dump({"token": Token.objects.create(user=user).key}, out)
