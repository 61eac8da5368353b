from django.urls import path

from countries.sandbox import views

app_name = "countries-sandbox"
urlpatterns = [
    path("v3.1/alpha/<str:code>", views.alpha, name="alpha"),
    path("flags/<str:code>.svg", views.flag, name="flag"),
    path("slow/<int:slow_ms>/v3.1/alpha/<str:code>", views.alpha, name="alpha-slow"),
    path("fail/<int:status>/v3.1/alpha/<str:code>", views.failing, name="alpha-failing"),
]
