from django.urls import path

from scraper.sandbox import views

app_name = "scraper-sandbox"
urlpatterns = [
    path("movies/", views.movies_page, name="movies"),
    path("redirect/", views.redirect_to, name="redirect"),
]
