# The person who asked is the request's owner, as in every other app (issue 22).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("countries", "0001_initial")]

    operations = [
        migrations.RemoveIndex(model_name="fetchrequest", name="country_fetch_requester"),
        migrations.RenameField(model_name="fetchrequest", old_name="requester", new_name="owner"),
        migrations.AddIndex(
            model_name="fetchrequest",
            index=models.Index(fields=["owner", "-created_at"], name="country_fetch_owner"),
        ),
    ]
