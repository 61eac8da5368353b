"""The laptop's stand-ins core serves (local and test stages only, at /sandbox/core/): the email outbox."""

from django.urls import path

from core.web import views

app_name = "core-sandbox"
urlpatterns = [path("outbox/", views.outbox, name="outbox")]
