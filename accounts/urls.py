from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views
from core.throttling import ThrottledLoginView

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("login/", ThrottledLoginView.as_view(template_name="accounts/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("token/", views.api_token, name="api-token"),
    path("profile/", views.profile, name="profile"),
]
