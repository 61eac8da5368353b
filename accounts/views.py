from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods
from rest_framework.authtoken.models import Token

from accounts.forms import ProfileForm, SignUpForm
from accounts.services import token_rotate, user_create, user_time_zone_update


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
    form = ProfileForm(request.POST or None, initial={"time_zone": request.user.time_zone})
    if request.method == "POST" and form.is_valid():
        user_time_zone_update(user=request.user, time_zone=form.cleaned_data["time_zone"])
        messages.success(request, "Your time zone was saved.")
        return redirect("profile")
    return render(request, "accounts/profile.html", {"form": form})
