"""The countries pages under /countries/, and the original's three endpoints at its own paths.

A code is matched as any text (even with slashes), so a malformed one gets the endpoints' own 400
``BadRequestError`` body instead of the site's HTML 404; every other path under the three (no
trailing slash, no code) is handed to the same views, so it answers their JSON too.
"""

from django.urls import path, re_path

from countries import api, views

app_name = "countries"
ANY_CODE = r"(?P<code>[\s\S]*)"
urlpatterns = [
    path("countries/", views.index, name="index"),
    path("countries/stored/", views.stored, name="stored"),
    path("countries/compare/", views.compare, name="compare"),
    path("countries/<str:code>/", views.country, name="country"),
    path("countries/<str:code>/fetch/", views.fetch, name="fetch"),
    re_path(rf"^fetch-data/{ANY_CODE}/$", api.FetchDataView.as_view(), name="fetch-data"),
    re_path(rf"^view-data/{ANY_CODE}/$", api.ViewDataView.as_view(), name="view-data"),
    re_path(rf"^status/{ANY_CODE}/$", api.StatusView.as_view(), name="status"),
    # Every other path under them (no trailing slash, no code): the endpoint's own JSON answer.
    re_path(
        r"^(?P<endpoint>fetch-data|view-data|status)(?P<rest>(?:/[\s\S]*)?)$",
        api.original_any_path,
        name="original-any",
    ),
]
