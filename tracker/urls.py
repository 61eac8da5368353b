from django.urls import path

from tracker import views

app_name = "tracker"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.order_new, name="new"),
    path("orders/<int:pk>/", views.order_detail, name="order"),
    path("orders/<int:pk>/change/", views.order_change, name="change"),
    path("orders/<int:pk>/remove/", views.order_remove, name="remove"),
    path("orders/<int:pk>/stop/", views.order_stop, name="stop"),
    path("orders/<int:pk>/hide/", views.order_hide, name="hide"),
]
