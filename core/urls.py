from django.http import HttpResponse
from django.urls import path

from core.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("ops/failures/", views.ops_failures, name="ops-failures"),  # staff only
    # Pages without our layout (the browsable API, the admin) make browsers ask for this.
    path("favicon.ico", lambda request: HttpResponse(status=204)),
]
