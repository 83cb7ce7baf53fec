"""MissionReport and ReportStatusChange now belong to reports (reports/0001): missions
forgets them without touching their tables."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("missions", "0003_dates_in_range"),
        ("reports", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="reportstatuschange", name="report"),
                migrations.RemoveField(model_name="reportstatuschange", name="changed_by"),
                migrations.DeleteModel(name="MissionReport"),
                migrations.DeleteModel(name="ReportStatusChange"),
            ],
        ),
    ]
