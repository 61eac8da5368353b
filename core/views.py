from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_http_methods
from rest_framework.authtoken.models import Token

from core.forms import ProfileForm, SignUpForm
from core.services import profile_get, profile_update, token_rotate, user_create

# What each app does, for the home page; an app whose pages are not installed is shown as such.
APPS = [
    ("Routines", "routines:today", "Keep daily checklists and tick them off each day; see your streaks."),
    ("Pizza tracker", "tracker:index", "Follow a Domino's order and get a text at every stage."),
    ("Gas prices", "prices:index", "New York gasoline prices by region, with email alerts when they drop."),
    (
        "Countries",
        "countries:index",
        "Queue fetches of country facts from REST Countries and read the results.",
    ),
    (
        "Movies scraper",
        "scraper:index",
        "Scrape a movies chart through a Kinesis pipeline and browse the rows.",
    ),
]


def home(request):
    cards = []
    for title, url_name, text in APPS:
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            url = None
        cards.append({"title": title, "url": url, "text": text})
    return render(request, "core/home.html", {"cards": cards})


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = user_create(
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password1"],
            time_zone=form.cleaned_data["time_zone"],
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome, {user.username}! Your account is ready.")
        return redirect("home")
    return render(request, "registration/signup.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def api_token(request):
    token = Token.objects.filter(user=request.user).first()
    if request.method == "POST":
        token = token_rotate(user=request.user)
        messages.success(request, "A new API token was created; the previous one no longer works.")
        return redirect("api-token")
    return render(request, "core/token.html", {"token": token})


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    current = profile_get(user=request.user)
    form = ProfileForm(request.POST or None, initial={"time_zone": current.time_zone})
    if request.method == "POST" and form.is_valid():
        profile_update(user=request.user, time_zone=form.cleaned_data["time_zone"])
        messages.success(request, "Your time zone was saved.")
        return redirect("profile")
    return render(request, "core/profile.html", {"form": form})
