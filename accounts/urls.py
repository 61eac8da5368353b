from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from accounts import views
from core.web.throttling import ThrottledLoginView, ThrottledPasswordResetView

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("login/", ThrottledLoginView.as_view(template_name="accounts/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("token/", views.api_token, name="api-token"),
    path("profile/", views.profile, name="profile"),
    path("export/", views.account_export, name="account-export"),
    path("delete/", views.account_delete, name="account-delete"),
    # Django's own password views, with the product's templates (templates/registration/).
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(success_url=reverse_lazy("password_change_done")),
        name="password_change",
    ),
    path("password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path(
        "password/reset/",
        ThrottledPasswordResetView.as_view(
            success_url=reverse_lazy("password_reset_done"),
            email_template_name="registration/password_reset_email.txt",
            subject_template_name="registration/password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(extra_context={"show_outbox": settings.ON_LAPTOP}),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(success_url=reverse_lazy("password_reset_complete")),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
