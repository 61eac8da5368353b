from django.urls import path, register_converter

from routines import views


class IsoDateConverter:
    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value.isoformat() if hasattr(value, "isoformat") else str(value)


register_converter(IsoDateConverter, "isodate")

app_name = "routines"
urlpatterns = [
    path("", views.today, name="today"),
    path("new/", views.routine_new, name="new"),
    path("samples/", views.samples_load, name="samples"),
    path("<int:pk>/edit/", views.routine_edit, name="edit"),
    path("<int:pk>/delete/", views.routine_remove, name="delete"),
    path("<int:pk>/schedule/", views.routine_schedule, name="schedule"),
    path("<int:pk>/status/", views.routine_status, name="status"),
    path("<int:pk>/reminder/", views.routine_reminder, name="reminder"),
    path("<int:pk>/items/add/", views.item_add, name="item-add"),
    path("<int:pk>/items/<int:item_pk>/rename/", views.item_rename, name="item-rename"),
    path("<int:pk>/items/<int:item_pk>/delete/", views.item_remove, name="item-delete"),
    path("<int:pk>/reorder/", views.reorder, name="reorder"),
    path("<int:pk>/items/undo/", views.item_undo, name="item-undo"),
    path("<int:pk>/move/", views.routine_move, name="move"),
    path("<int:pk>/history/", views.history, name="history"),
    path("<int:pk>/days/<isodate:day>/", views.day_save, name="day"),
]
