from django.urls import path

from scraper import views

app_name = "scraper"
urlpatterns = [
    path("", views.index, name="index"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/delete/", views.run_delete, name="run-delete"),
    path("movies/", views.movies, name="movies"),
    path("movies/export.csv", views.movies_export, name="movies-export"),
    path("movies/<str:movie_id>/", views.movie_detail, name="movie"),
    path("schedule/", views.schedule, name="schedule"),
    path("errors/", views.errors, name="errors"),
]
