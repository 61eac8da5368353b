from django.urls import path

from tracker.sandbox import views

app_name = "tracker-sandbox"
urlpatterns = [
    path("", views.index, name="index"),
    path("outbox/", views.outbox, name="outbox"),
    path("api/GPSTracker/CartId/<str:cart_id>", views.gps_tracker, name="gps"),
    path("twilio/2010-04-01/Accounts/<str:account_sid>/Messages.json", views.twilio_messages, name="twilio"),
]
