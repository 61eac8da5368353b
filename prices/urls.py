from django.urls import path

from prices import views

app_name = "prices"
urlpatterns = [
    path("", views.index, name="index"),
    path("subscriptions/", views.subscribe, name="subscribe"),
    path("subscriptions/<int:pk>/edit/", views.subscription_edit, name="subscription-edit"),
    path("subscriptions/<int:pk>/confirm/", views.subscription_confirm, name="subscription-confirm"),
    path("subscriptions/<int:pk>/delete/", views.subscription_delete, name="subscription-delete"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
