"""Counterparts, requests, the grid and meetings now belong to meetings (meetings/0001):
delegations forgets them without touching their tables."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('meetings', '0001_initial'),
        ('delegations', '0008_counterpart_history'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='historicalcounterpart_sectors',
                    name='counterpart',
                ),
                migrations.RemoveField(
                    model_name='meetingrequest',
                    name='counterpart',
                ),
                migrations.RemoveField(
                    model_name='meeting',
                    name='counterpart',
                ),
                migrations.RemoveField(
                    model_name='unavailability',
                    name='counterpart',
                ),
                migrations.RemoveField(
                    model_name='historicalcounterpart',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalcounterpart',
                    name='mission',
                ),
                migrations.RemoveField(
                    model_name='historicalcounterpart_sectors',
                    name='history',
                ),
                migrations.RemoveField(
                    model_name='historicalcounterpart_sectors',
                    name='sector',
                ),
                migrations.RemoveField(
                    model_name='meeting',
                    name='application',
                ),
                migrations.RemoveField(
                    model_name='meeting',
                    name='request',
                ),
                migrations.RemoveField(
                    model_name='meeting',
                    name='slot',
                ),
                migrations.RemoveField(
                    model_name='meetingchange',
                    name='meeting',
                ),
                migrations.RemoveField(
                    model_name='meetingchange',
                    name='changed_by',
                ),
                migrations.RemoveField(
                    model_name='meetinggrid',
                    name='mission',
                ),
                migrations.RemoveField(
                    model_name='meetingslot',
                    name='grid',
                ),
                migrations.RemoveField(
                    model_name='meetingrequest',
                    name='application',
                ),
                migrations.RemoveField(
                    model_name='meetingrequest',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='meetingrequeststatuschange',
                    name='request',
                ),
                migrations.RemoveField(
                    model_name='meetingrequeststatuschange',
                    name='changed_by',
                ),
                migrations.RemoveField(
                    model_name='unavailability',
                    name='slot',
                ),
                migrations.RemoveField(
                    model_name='unavailability',
                    name='application',
                ),
                migrations.DeleteModel(
                    name='Counterpart',
                ),
                migrations.DeleteModel(
                    name='HistoricalCounterpart',
                ),
                migrations.DeleteModel(
                    name='HistoricalCounterpart_sectors',
                ),
                migrations.DeleteModel(
                    name='Meeting',
                ),
                migrations.DeleteModel(
                    name='MeetingChange',
                ),
                migrations.DeleteModel(
                    name='MeetingGrid',
                ),
                migrations.DeleteModel(
                    name='MeetingRequest',
                ),
                migrations.DeleteModel(
                    name='MeetingRequestStatusChange',
                ),
                migrations.DeleteModel(
                    name='MeetingSlot',
                ),
                migrations.DeleteModel(
                    name='Unavailability',
                ),
            ],
        ),
    ]
