"""Form plumbing shared by every app's pages: a service's refusal shown on the page it came from.

A page's POST catches ``SERVICE_ERRORS`` around its one service call and answers with the same
status as the API would (core/web/api_errors.py): 400 for refused input, 429 for a limit reached, 503
for a dependency out of reach (core.errors), the service's message shown on the form.
"""

from django import forms
from django.core.exceptions import ValidationError

from core.errors import DependencyUnavailable, LimitReached

SERVICE_ERRORS = (ValidationError, LimitReached, DependencyUnavailable)


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ``ValidationError`` on the form: field errors on their fields, the rest on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def service_error_status(error: Exception) -> int:
    """The status a page answers one of ``SERVICE_ERRORS`` with."""
    if isinstance(error, LimitReached | DependencyUnavailable):
        return error.status_code
    if isinstance(error, ValidationError):
        return 400
    raise TypeError(f"not a service error: {type(error).__name__}") from error


def service_error_message(error: Exception) -> str:
    """One of ``SERVICE_ERRORS`` as one sentence, for a page without a form."""
    return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)


def show_service_error(form: forms.Form, error: Exception) -> int:
    """Show one of ``SERVICE_ERRORS`` on ``form``; the status the page answers with."""
    status = service_error_status(error)
    if isinstance(error, ValidationError):
        add_service_errors(form, error)
    else:
        form.add_error(None, str(error))
    return status
