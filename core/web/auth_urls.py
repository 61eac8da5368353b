"""The browsable API's log-in and log-out (``/api/auth/``), as ``rest_framework.urls`` has them but
with the throttled login (core/web/throttling.py). Same namespace and names, so DRF's templates link here."""

from django.contrib.auth import views as auth_views
from django.urls import path

from core.web.throttling import ThrottledLoginView

app_name = "rest_framework"
urlpatterns = [
    path("login/", ThrottledLoginView.as_view(template_name="rest_framework/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
