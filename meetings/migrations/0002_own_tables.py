"""The meetings' tables take their app's name (renames: every row stays)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("meetings", "0001_initial"),
        ("delegations", "0009_meetings_leave"),
    ]

    operations = [
        migrations.AlterModelTable(name="counterpart", table=None),
        migrations.AlterModelTable(name="historicalcounterpart", table=None),
        migrations.AlterModelTable(name="historicalcounterpart_sectors", table=None),
        migrations.AlterModelTable(name="meeting", table=None),
        migrations.AlterModelTable(name="meetingchange", table=None),
        migrations.AlterModelTable(name="meetinggrid", table=None),
        migrations.AlterModelTable(name="meetingrequest", table=None),
        migrations.AlterModelTable(name="meetingrequeststatuschange", table=None),
        migrations.AlterModelTable(name="meetingslot", table=None),
        migrations.AlterModelTable(name="unavailability", table=None),
    ]
