from django.urls import path

from countries import api

urlpatterns = [
    path("countries/", api.CountriesIndexView.as_view(), name="countries-api"),
    path("countries/stored/", api.StoredCountriesView.as_view(), name="countries-stored-api"),
    path("countries/compare/", api.CompareCountriesView.as_view(), name="countries-compare-api"),
]
