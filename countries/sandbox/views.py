"""The REST Countries stand-in (local and test stages only, mounted at /sandbox/countries/).

``v3.1/alpha/<code>`` answers what the live API answered: a one-element array holding the v3.1
document, for the 58 real documents in data.py (PY, BR, CO among them), and REST Countries' own
404 body for any other code. Switches, in the path so that the worker's base URL selects them
(``REST_COUNTRIES_BASE_URL=.../sandbox/countries/fail/503``) and they hold across processes:

* ``fail/<status>/v3.1/alpha/<code>``: always answers that status (e.g. 503, 500, 429);
* ``slow/<ms>/v3.1/alpha/<code>``: answers after ``ms`` milliseconds (at most 30,000).

No login, no database.
"""

import time

from django.http import HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from countries.sandbox.data import document_json

MAX_DELAY_MS = 30_000


def _not_found() -> JsonResponse:
    return JsonResponse({"status": 404, "message": "Not Found"}, status=404)


@require_GET
def alpha(request, code: str, slow_ms: int = 0):
    if slow_ms:
        time.sleep(min(slow_ms, MAX_DELAY_MS) / 1000)
    text = document_json(code) if len(code) == 2 else None
    if text is None:
        return _not_found()
    return HttpResponse(f"[{text}]", content_type="application/json")


@require_GET
def failing(request, status: int, code: str):
    if not 400 <= status <= 599:
        return JsonResponse({"status": 400, "message": "fail/<status>/ takes 400-599"}, status=400)
    return JsonResponse({"status": status, "message": "Failing on purpose (sandbox switch)"}, status=status)
