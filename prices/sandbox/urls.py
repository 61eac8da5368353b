from django.urls import path

from prices.sandbox import views

app_name = "prices-sandbox"
urlpatterns = [
    path("", views.switch, name="switch"),
    path("resource/wuxr-ni2i.json", views.resource, name="resource"),
    path("outbox/", views.outbox, name="outbox"),
]
