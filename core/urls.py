from django.http import HttpResponse
from django.urls import path

from core import views

urlpatterns = [
    path("", views.home, name="home"),
    # Pages without our layout (the browsable API, the admin) make browsers ask for this.
    path("favicon.ico", lambda request: HttpResponse(status=204)),
]
