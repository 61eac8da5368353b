import json

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods
from rest_framework.authtoken.models import Token

from accounts.forms import AccountDeleteForm, ProfileForm, SignUpForm
from accounts.services import (
    WrongPassword,
    token_rotate,
    user_create,
    user_data_export,
    user_delete,
    user_profile_update,
)
from core import clock


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # One transaction: when the session cannot be saved (DynamoDB away, a 503 page) the account
        # is not created either, so sending the form again works.
        with transaction.atomic():
            user = user_create(
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
                email=form.cleaned_data.get("email") or "",
                time_zone=form.cleaned_data["time_zone"],
            )
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome, {user.username}! Your account is ready.")
        return redirect("home")
    return render(request, "accounts/signup.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def api_token(request):
    token = Token.objects.filter(user=request.user).first()
    if request.method == "POST":
        token_rotate(user=request.user)
        if token is None:
            messages.success(request, "Your API token was created.")
        else:
            messages.success(request, "A new API token was created; the previous one no longer works.")
        return redirect("api-token")
    return render(request, "accounts/token.html", {"token": token})


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    form = ProfileForm(
        request.POST or None, initial={"email": request.user.email, "time_zone": request.user.time_zone}
    )
    if request.method == "POST" and form.is_valid():
        user_profile_update(
            user=request.user, email=form.cleaned_data["email"], time_zone=form.cleaned_data["time_zone"]
        )
        messages.success(request, "Your profile was saved.")
        return redirect("profile")
    return render(request, "accounts/profile.html", {"form": form})


@login_required
@require_GET
def account_export(request):
    """Everything the user owns, as one JSON file to download."""
    data = user_data_export(user=request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    name = f"{request.user.username}-data-{clock.now():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request):
    form = AccountDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user_delete(user=request.user, password=form.cleaned_data["password"])
        except WrongPassword as exc:
            form.add_error("password", exc.message_dict["password"])
        else:
            logout(request)
            messages.success(request, "Your account and everything in it were deleted.")
            return redirect("home")
    return render(request, "accounts/delete.html", {"form": form}, status=400 if form.errors else 200)
