from core.apps import ApiRoute, HomeCard, NavEntry, ProductAppConfig
from core.contract.resources import StreamSource


class RoutinesConfig(ProductAppConfig):
    name = "routines"
    verbose_name = "Routines"
    url_prefix = "routines/"
    api_routes = [
        ApiRoute("routines", "routines.api.RoutineViewSet", "routine"),
        ApiRoute(r"routines/(?P<routine_pk>[0-9]+)/items", "routines.api.RoutineItemViewSet", "routine-item"),
    ]
    nav = NavEntry("Routines", "routines:today")
    home_card = HomeCard(
        "Routines", "routines:today", "Keep daily checklists and tick them off each day; see your streaks."
    )
    dynamo_models = ["routines.dynamo.RoutineDayItem"]
    # Every tap is a DynamoDB write; the table's stream archives each day into RoutineDay. Records
    # that keep failing go to the derived on-failure queue (routine-days-dlq) to be replayed.
    # Large batches: the handler archives a whole batch in one transaction (GetRecords returns <= 1,000).
    event_sources = [
        StreamSource(
            model="routines.dynamo.RoutineDayItem", handler="routines.events.archive_days", batch_size=1000
        )
    ]
    demo_loader = "routines.demo.load_demo"
    hot_item_restorer = "routines.services.routine_days_restore_summary"
    # Everything of a user's, for "Export my data" and "Delete my account" (accounts.services).
    account_exporter = "routines.user_data.user_data_export"
    account_deleter = "routines.user_data.user_data_delete"
    # Its "status" filter and field (active, paused, archived) beside other apps' statuses in the schema.
    schema_enum_names = {"RoutineStatusEnum": "routines.models.ROUTINE_STATUSES"}
