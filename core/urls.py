from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import path

from core import views

urlpatterns = [
    path("", views.home, name="home"),
    # Pages without our layout (the browsable API, the admin) make browsers ask for this.
    path("favicon.ico", lambda request: HttpResponse(status=204)),
    path("account/signup/", views.signup, name="signup"),
    path("account/login/", auth_views.LoginView.as_view(), name="login"),
    path("account/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/token/", views.api_token, name="api-token"),
    path("account/profile/", views.profile, name="profile"),
]
