"""The reports' tables take their app's name (a rename: every row stays)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("reports", "0001_initial"),
        ("missions", "0004_reports_leave"),
    ]

    operations = [
        migrations.AlterModelTable(name="missionreport", table=None),
        migrations.AlterModelTable(name="reportstatuschange", table=None),
    ]
