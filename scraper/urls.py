from django.urls import path

from scraper import views

app_name = "scraper"
urlpatterns = [
    path("", views.index, name="index"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("movies/", views.movies, name="movies"),
    path("errors/", views.errors, name="errors"),
]
