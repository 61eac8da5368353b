"""Plain API views of accounts, included under /api/ (core.apps: ``api_urls_module``)."""

from django.urls import path

from accounts.api import MeView

urlpatterns = [path("me/", MeView.as_view(), name="api-me")]
