"""Plain API views of accounts, included under /api/ (core.apps: ``api_urls_module``)."""

from django.urls import path

from accounts.api import MeDeleteView, MeExportView, MeView

urlpatterns = [
    path("me/", MeView.as_view(), name="api-me"),
    path("me/export/", MeExportView.as_view(), name="api-me-export"),
    path("me/delete/", MeDeleteView.as_view(), name="api-me-delete"),
]
