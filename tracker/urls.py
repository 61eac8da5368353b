from django.urls import path

from tracker import views

app_name = "tracker"
urlpatterns = [
    path("", views.index, name="index"),
    path("orders/<int:pk>/", views.order_detail, name="order"),
    path("orders/<int:pk>/stop/", views.order_stop, name="stop"),
    path("orders/<int:pk>/hide/", views.order_hide, name="hide"),
]
