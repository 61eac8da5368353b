"""The REST Countries stand-in (local and test stages only, mounted at /sandbox/countries/).

``v3.1/alpha/<code>`` answers what the live API answered: a one-element array holding the v3.1
document, for the 58 real documents in data.py (PY, BR, CO among them), and REST Countries' own
404 body for any other code. Switches, in the path so that the worker's base URL selects them
(``REST_COUNTRIES_BASE_URL=.../sandbox/countries/fail/503``) and they hold across processes:

* ``fail/<status>/v3.1/alpha/<code>``: always answers that status (e.g. 503, 500, 429);
* ``slow/<ms>/v3.1/alpha/<code>``: answers after ``ms`` milliseconds (at most 30,000).

``flags/<code>.svg`` serves the flags of those countries (flag-icons, MIT; see SOURCES.txt): the laptop
shows them instead of the documents' flagcdn.com images, which it cannot reach offline.

No login, no database.
"""

import time
from pathlib import Path

from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from countries.sandbox.data import document_json

MAX_DELAY_MS = 30_000
FLAGS = Path(__file__).resolve().parent / "flags"


def flag_path(code: str) -> Path | None:
    """The stored flag of ``code`` (any case), or None."""
    if len(code) != 2 or not code.isalpha():
        return None
    path = FLAGS / f"{code.lower()}.svg"
    return path if path.is_file() else None


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


@require_GET
def flag(request, code: str):
    path = flag_path(code)
    if path is None:
        raise Http404("No flag for that code.")
    response = FileResponse(path.open("rb"), content_type="image/svg+xml")
    response["Cache-Control"] = "max-age=86400"
    return response
