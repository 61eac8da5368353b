from django.urls import path

from countries import api

urlpatterns = [path("countries/", api.CountriesIndexView.as_view(), name="countries-api")]
