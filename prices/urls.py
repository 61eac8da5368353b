from django.urls import path

from prices import views

app_name = "prices"
urlpatterns = [
    path("", views.index, name="index"),
    path("subscriptions/", views.subscribe, name="subscribe"),
    path("subscriptions/<int:pk>/delete/", views.subscription_delete, name="subscription-delete"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
