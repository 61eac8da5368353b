"""drf-spectacular postprocessing: every operation documents the errors it can answer.

drf-spectacular documents only the success response of an operation; what the project's own
layers add to every view is stated here once, so a new app's operations are documented (and the
schemathesis gate holds them to it) without each view repeating it:

* 400 ``ValidationError``: a body, query or path value the view refuses (field -> messages).
* 401 / 403 ``Error``: an operation that needs a caller (no or a bad token; CSRF or permission).
* 404 ``Error``: a path with an id or date of nobody's (or somebody else's) object, a page past the end.
* 413 ``Error``: a body over DATA_UPLOAD_MAX_MEMORY_SIZE (core/web/api_errors.py).
* 429 ``Error``: a write over its throttle (core/web/throttling.py), with Retry-After.
* 503 ``Error``: DynamoDB (sessions, hot items) cannot be reached now (core/aws/unavailable.py), with
  Retry-After; operations that need only the database keep answering.
"""

from __future__ import annotations

from typing import Any

ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
    "description": "What went wrong, for a person.",
}
VALIDATION_ERROR = {
    "type": "object",
    "additionalProperties": {},
    "description": 'Messages per field, e.g. {"name": ["..."]}; `non_field_errors` or `detail` otherwise.',
}
WRITES = {"post", "put", "patch", "delete"}


def _response(description: str, schema: str, headers: dict[str, Any] | None = None) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }
    if headers:
        response["headers"] = headers
    return response


def add_error_responses(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", ERROR)
    schemas.setdefault("ValidationError", VALIDATION_ERROR)
    retry_after = {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in {"get", "put", "post", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            parameters = operation.get("parameters", [])
            errors: dict[str, dict[str, Any]] = {}
            if operation.get("requestBody") or parameters:
                errors["400"] = _response(
                    "Refused input: the messages say what to change.", "ValidationError"
                )
            if {} not in operation.get("security", [{}]):
                errors["401"] = _response("No or an unknown token (or session).", "Error")
                errors["403"] = _response(
                    "Not allowed (e.g. a session write without its CSRF token).", "Error"
                )
            if "{" in path or any(p.get("name") == "page" for p in parameters):
                errors["404"] = _response("No such object of yours (or no such page).", "Error")
            if operation.get("requestBody"):
                errors["413"] = _response("The body is larger than the API accepts.", "Error")
            if method in WRITES:
                errors["429"] = _response("Too many writes: wait Retry-After seconds.", "Error", retry_after)
            errors["503"] = _response(
                "A data store the operation needs cannot be reached now: retry after Retry-After seconds.",
                "Error",
                retry_after,
            )
            for status, response in errors.items():
                declared = responses.setdefault(status, response)
                for key in ("content", "headers"):  # a view may state only what the status means
                    if key in response:
                        declared.setdefault(key, response[key])
    return result
