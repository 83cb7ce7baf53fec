"""The B2B meetings leave delegations: their models change app, every row stays."""

import core.fields
import datetime
import django.core.validators
import django.db.models.deletion
import django.db.models.functions.text
import simple_history.models
from django.conf import settings
from django.db import migrations, models


MOVED = [
    "counterpart",
    "historicalcounterpart",
    "historicalcounterpart_sectors",
    "meeting",
    "meetingchange",
    "meetinggrid",
    "meetingrequest",
    "meetingrequeststatuschange",
    "meetingslot",
    "unavailability",
]


def content_types_follow(apps, schema_editor):
    """Rows that name these models by content type (outbox emails about a meeting,
    permissions, admin history) keep pointing at them."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="delegations", model__in=MOVED).update(
        app_label="meetings"
    )


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('delegations', '0008_counterpart_history'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('missions', '0004_reports_leave'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables exist (delegations created them): only Django's picture moves.
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='Counterpart',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('organisation', models.CharField(max_length=200, verbose_name='organisation')),
                    ('kind', models.CharField(choices=[('investor', 'Investor'), ('buyer', 'Buyer'), ('distributor', 'Distributor'), ('partner', 'Partner'), ('institution', 'Institution'), ('startup', 'Start-up')], max_length=20, verbose_name='kind')),
                    ('city', models.CharField(blank=True, max_length=100, verbose_name='city')),
                    ('contact_name', models.CharField(max_length=200, verbose_name='contact person')),
                    ('email', core.fields.CanonicalEmailField(max_length=254, verbose_name='email address')),
                    ('language', models.CharField(choices=[('fr', 'French'), ('en', 'English')], default='en', max_length=2, verbose_name='language')),
                    ('description', models.TextField(blank=True, verbose_name='description')),
                    ('mission', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='counterparts', to='missions.mission')),
                    ('sectors', models.ManyToManyField(blank=True, to='missions.sector', verbose_name='sectors')),
                ],
                options={
                    'db_table': 'delegations_counterpart',
                    'verbose_name': 'counterpart',
                    'verbose_name_plural': 'counterparts',
                    'ordering': ['organisation'],
                },
            ),
            migrations.CreateModel(
                name='HistoricalCounterpart',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('organisation', models.CharField(max_length=200, verbose_name='organisation')),
                    ('kind', models.CharField(choices=[('investor', 'Investor'), ('buyer', 'Buyer'), ('distributor', 'Distributor'), ('partner', 'Partner'), ('institution', 'Institution'), ('startup', 'Start-up')], max_length=20, verbose_name='kind')),
                    ('city', models.CharField(blank=True, max_length=100, verbose_name='city')),
                    ('contact_name', models.CharField(max_length=200, verbose_name='contact person')),
                    ('email', core.fields.CanonicalEmailField(max_length=254, verbose_name='email address')),
                    ('language', models.CharField(choices=[('fr', 'French'), ('en', 'English')], default='en', max_length=2, verbose_name='language')),
                    ('description', models.TextField(blank=True, verbose_name='description')),
                    ('history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history_date', models.DateTimeField(db_index=True)),
                    ('history_change_reason', models.CharField(max_length=100, null=True)),
                    ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                    ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('mission', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='missions.mission')),
                ],
                options={
                    'db_table': 'delegations_historicalcounterpart',
                    'verbose_name': 'change of a counterpart',
                    'verbose_name_plural': 'changes of counterparts',
                    'ordering': ('-history_date', '-history_id'),
                    'get_latest_by': ('history_date', 'history_id'),
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.CreateModel(
                name='HistoricalCounterpart_sectors',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('counterpart', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='meetings.counterpart')),
                    ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='meetings.historicalcounterpart')),
                    ('sector', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='missions.sector')),
                ],
                options={
                    'db_table': 'delegations_historicalcounterpart_sectors',
                    'verbose_name': 'HistoricalCounterpart_sectors',
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.CreateModel(
                name='Meeting',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('table', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1)], verbose_name='table')),
                    ('status', models.CharField(choices=[('scheduled', 'Scheduled'), ('confirmed', 'Confirmed'), ('held', 'Held'), ('no_show', 'No-show'), ('cancelled', 'Cancelled'), ('declined', 'Declined by the counterpart')], default='scheduled', max_length=20, verbose_name='status')),
                    ('locked', models.BooleanField(default=False, help_text='The scheduler leaves a locked meeting in place.', verbose_name='locked')),
                    ('sequence', models.PositiveIntegerField(default=0, verbose_name='version sent')),
                    ('invited_at', models.DateTimeField(blank=True, null=True, verbose_name='invitations sent')),
                    ('responded_at', models.DateTimeField(blank=True, null=True, verbose_name='counterpart answered')),
                    ('response_note', models.TextField(blank=True, verbose_name="counterpart's message")),
                    ('counterpart_comment', models.TextField(blank=True, verbose_name="counterpart's feedback")),
                    ('company_rating', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(5)], verbose_name="company's rating")),
                    ('counterpart_rating', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(5)], verbose_name="counterpart's rating")),
                    ('follow_up_stage', models.CharField(blank=True, choices=[('none', 'No further contact'), ('discussion', 'In discussion'), ('negotiation', 'Negotiation'), ('agreement', 'Agreement')], max_length=20, verbose_name='follow-up stage')),
                    ('leads', models.PositiveIntegerField(blank=True, null=True, verbose_name='leads')),
                    ('estimated_value', models.DecimalField(blank=True, decimal_places=2, max_digits=12, null=True, verbose_name='estimated value (€)')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                    ('application', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='delegations.application')),
                    ('counterpart', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='meetings.counterpart')),
                ],
                options={
                    'db_table': 'delegations_meeting',
                    'verbose_name': 'meeting',
                    'verbose_name_plural': 'meetings',
                    'ordering': ['slot__starts_at', 'table'],
                },
            ),
            migrations.CreateModel(
                name='MeetingChange',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('changed_at', models.DateTimeField(auto_now_add=True, verbose_name='at')),
                    ('action', models.CharField(choices=[('placed', 'Placed'), ('moved', 'Moved'), ('locked', 'Locked'), ('unlocked', 'Unlocked'), ('invited', 'Invitations sent'), ('accepted', 'Accepted by the counterpart'), ('declined', 'Declined by the counterpart'), ('outcome', 'Outcome recorded'), ('feedback', 'Feedback from the counterpart')], max_length=20, verbose_name='action')),
                    ('from_status', models.CharField(blank=True, choices=[('scheduled', 'Scheduled'), ('confirmed', 'Confirmed'), ('held', 'Held'), ('no_show', 'No-show'), ('cancelled', 'Cancelled'), ('declined', 'Declined by the counterpart')], max_length=20, verbose_name='from')),
                    ('to_status', models.CharField(choices=[('scheduled', 'Scheduled'), ('confirmed', 'Confirmed'), ('held', 'Held'), ('no_show', 'No-show'), ('cancelled', 'Cancelled'), ('declined', 'Declined by the counterpart')], max_length=20, verbose_name='to')),
                    ('detail', models.CharField(blank=True, max_length=300, verbose_name='detail')),
                    ('changed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to=settings.AUTH_USER_MODEL, verbose_name='by')),
                    ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='changes', to='meetings.meeting')),
                ],
                options={
                    'db_table': 'delegations_meetingchange',
                    'verbose_name': 'meeting change',
                    'verbose_name_plural': 'meeting changes',
                    'ordering': ['changed_at', 'pk'],
                },
            ),
            migrations.CreateModel(
                name='MeetingGrid',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('sessions', models.JSONField(blank=True, default=list, verbose_name='sessions')),
                    ('venue', models.CharField(blank=True, help_text='Where the meetings take place, e.g. MaRS Discovery District, Toronto.', max_length=300, verbose_name='venue')),
                    ('slot_minutes', models.PositiveSmallIntegerField(default=30, validators=[django.core.validators.MinValueValidator(5)], verbose_name='slot length (minutes)')),
                    ('tables', models.PositiveSmallIntegerField(default=10, validators=[django.core.validators.MinValueValidator(1)], verbose_name='tables')),
                    ('mission', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='meeting_grid', to='missions.mission')),
                ],
                options={
                    'db_table': 'delegations_meetinggrid',
                    'verbose_name': 'meeting grid',
                    'verbose_name_plural': 'meeting grids',
                },
            ),
            migrations.CreateModel(
                name='MeetingRequest',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('priority', models.PositiveSmallIntegerField(default=2, help_text='1 = nice to have, 3 = essential.', validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(3)], verbose_name='priority')),
                    ('rationale', models.TextField(blank=True, verbose_name='rationale')),
                    ('origin', models.CharField(choices=[('company', 'Company'), ('staff', 'Staff'), ('counterpart', 'Counterpart')], default='company', max_length=20, verbose_name='origin')),
                    ('status', models.CharField(choices=[('requested', 'Requested'), ('qualified', 'Qualified'), ('scheduled', 'Scheduled'), ('declined', 'Declined')], default='requested', max_length=20, verbose_name='status')),
                    ('purpose', models.CharField(blank=True, max_length=300, verbose_name='purpose')),
                    ('qualification_note', models.TextField(blank=True, verbose_name='qualification note')),
                    ('decline_reason', models.TextField(blank=True, verbose_name='reason for declining')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                    ('application', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='meeting_requests', to='delegations.application')),
                    ('counterpart', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='meeting_requests', to='meetings.counterpart')),
                    ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ],
                options={
                    'db_table': 'delegations_meetingrequest',
                    'verbose_name': 'meeting request',
                    'verbose_name_plural': 'meeting requests',
                    'ordering': ['-priority', 'created_at'],
                },
            ),
            migrations.AddField(
                model_name='meeting',
                name='request',
                field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='meeting', to='meetings.meetingrequest'),
            ),
            migrations.CreateModel(
                name='MeetingRequestStatusChange',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('changed_at', models.DateTimeField(auto_now_add=True, verbose_name='at')),
                    ('from_status', models.CharField(blank=True, choices=[('requested', 'Requested'), ('qualified', 'Qualified'), ('scheduled', 'Scheduled'), ('declined', 'Declined')], max_length=20, verbose_name='from')),
                    ('to_status', models.CharField(choices=[('requested', 'Requested'), ('qualified', 'Qualified'), ('scheduled', 'Scheduled'), ('declined', 'Declined')], max_length=20, verbose_name='to')),
                    ('changed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to=settings.AUTH_USER_MODEL, verbose_name='by')),
                    ('request', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='status_changes', to='meetings.meetingrequest')),
                ],
                options={
                    'db_table': 'delegations_meetingrequeststatuschange',
                    'verbose_name': 'meeting request status change',
                    'verbose_name_plural': 'meeting request status changes',
                    'ordering': ['changed_at', 'pk'],
                },
            ),
            migrations.CreateModel(
                name='MeetingSlot',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('starts_at', models.DateTimeField(verbose_name='starts')),
                    ('ends_at', models.DateTimeField(verbose_name='ends')),
                    ('grid', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='slots', to='meetings.meetinggrid')),
                ],
                options={
                    'db_table': 'delegations_meetingslot',
                    'verbose_name': 'meeting slot',
                    'verbose_name_plural': 'meeting slots',
                    'ordering': ['starts_at'],
                },
            ),
            migrations.AddField(
                model_name='meeting',
                name='slot',
                field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='meetings', to='meetings.meetingslot'),
            ),
            migrations.CreateModel(
                name='Unavailability',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('application', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='delegations.application')),
                    ('counterpart', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='meetings.counterpart')),
                    ('slot', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='unavailabilities', to='meetings.meetingslot')),
                ],
                options={
                    'db_table': 'delegations_unavailability',
                    'verbose_name': 'unavailability',
                    'verbose_name_plural': 'unavailabilities',
                },
            ),
            migrations.AddConstraint(
                model_name='counterpart',
                constraint=models.UniqueConstraint(models.F('mission'), django.db.models.functions.text.Lower('organisation'), django.db.models.functions.text.Lower('email'), name='counterpart_unique_per_mission', violation_error_message='This counterpart is already registered.'),
            ),
            migrations.AddConstraint(
                model_name='counterpart',
                constraint=models.CheckConstraint(condition=models.Q(('email', django.db.models.functions.text.Lower('email'))), name='counterpart_email_lower_case'),
            ),
            migrations.AddConstraint(
                model_name='meetinggrid',
                constraint=models.CheckConstraint(condition=models.Q(('tables__gte', 1)), name='grid_tables_at_least_one'),
            ),
            migrations.AddConstraint(
                model_name='meetinggrid',
                constraint=models.CheckConstraint(condition=models.Q(('slot_minutes__gte', 5)), name='grid_slot_at_least_five_minutes'),
            ),
            migrations.AddConstraint(
                model_name='meetingrequest',
                constraint=models.UniqueConstraint(fields=('application', 'counterpart'), name='meeting_request_unique_pair', violation_error_message='This meeting has already been requested.'),
            ),
            migrations.AddConstraint(
                model_name='meetingrequest',
                constraint=models.CheckConstraint(condition=models.Q(('priority__gte', 1), ('priority__lte', 3)), name='meeting_request_priority_1_to_3', violation_error_message='The priority must be 1, 2 or 3.'),
            ),
            migrations.AddConstraint(
                model_name='meetingrequest',
                constraint=models.UniqueConstraint(fields=('id', 'application', 'counterpart'), name='meeting_request_identity'),
            ),
            migrations.AddConstraint(
                model_name='meetingrequest',
                constraint=models.CheckConstraint(condition=models.Q(('status__in', ['requested', 'qualified', 'scheduled', 'declined'])), name='meeting_request_status_known'),
            ),
            migrations.AddConstraint(
                model_name='meetingrequest',
                constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'declined'), _negated=True), models.Q(('decline_reason', ''), _negated=True), _connector='OR'), name='meeting_request_declined_has_reason', violation_error_message='A declined request needs a reason.'),
            ),
            migrations.AddConstraint(
                model_name='meetingslot',
                constraint=models.UniqueConstraint(fields=('grid', 'starts_at'), name='slot_unique_start'),
            ),
            migrations.AddConstraint(
                model_name='meetingslot',
                constraint=models.CheckConstraint(condition=models.Q(models.Q(('starts_at__gte', datetime.datetime(2000, 1, 1, 0, 0, tzinfo=datetime.timezone.utc)), ('starts_at__lt', datetime.datetime(2101, 1, 1, 0, 0, tzinfo=datetime.timezone.utc))), ('starts_at__isnull', True), _connector='OR'), name='slot_start_in_range'),
            ),
            migrations.AddConstraint(
                model_name='meetingslot',
                constraint=models.CheckConstraint(condition=models.Q(models.Q(('ends_at__gte', datetime.datetime(2000, 1, 1, 0, 0, tzinfo=datetime.timezone.utc)), ('ends_at__lt', datetime.datetime(2101, 1, 1, 0, 0, tzinfo=datetime.timezone.utc))), ('ends_at__isnull', True), _connector='OR'), name='slot_end_in_range'),
            ),
            migrations.AddConstraint(
                model_name='meetingslot',
                constraint=models.CheckConstraint(condition=models.Q(('ends_at__gt', models.F('starts_at'))), name='slot_ends_after_start'),
            ),
            migrations.AddConstraint(
                model_name='meeting',
                constraint=models.UniqueConstraint(condition=models.Q(('status__in', ('cancelled', 'declined')), _negated=True), fields=('slot', 'table'), name='meeting_one_per_table_and_slot', violation_error_message='This table is already taken in this slot.'),
            ),
            migrations.AddConstraint(
                model_name='meeting',
                constraint=models.UniqueConstraint(condition=models.Q(('status__in', ('cancelled', 'declined')), _negated=True), fields=('slot', 'application'), name='meeting_company_once_per_slot', violation_error_message='This company already has a meeting in this slot.'),
            ),
            migrations.AddConstraint(
                model_name='meeting',
                constraint=models.UniqueConstraint(condition=models.Q(('status__in', ('cancelled', 'declined')), _negated=True), fields=('slot', 'counterpart'), name='meeting_counterpart_once_per_slot', violation_error_message='This counterpart already has a meeting in this slot.'),
            ),
            migrations.AddConstraint(
                model_name='meeting',
                constraint=models.CheckConstraint(condition=models.Q(('table__gte', 1)), name='meeting_table_from_one'),
            ),
            migrations.AddConstraint(
                model_name='meeting',
                constraint=models.CheckConstraint(condition=models.Q(('status__in', ['scheduled', 'confirmed', 'held', 'no_show', 'cancelled', 'declined'])), name='meeting_status_known'),
            ),
            migrations.AddConstraint(
                model_name='meeting',
                constraint=models.CheckConstraint(condition=models.Q(('company_rating__isnull', True), models.Q(('company_rating__gte', 1), ('company_rating__lte', 5)), _connector='OR'), name='meeting_company_rating_1_to_5'),
            ),
            migrations.AddConstraint(
                model_name='meeting',
                constraint=models.CheckConstraint(condition=models.Q(('counterpart_rating__isnull', True), models.Q(('counterpart_rating__gte', 1), ('counterpart_rating__lte', 5)), _connector='OR'), name='meeting_counterpart_rating_1_to_5'),
            ),
            migrations.AddConstraint(
                model_name='meeting',
                constraint=models.CheckConstraint(condition=models.Q(('estimated_value__isnull', True), ('estimated_value__gte', 0), _connector='OR'), name='meeting_estimated_value_not_negative'),
            ),
            migrations.AddConstraint(
                model_name='unavailability',
                constraint=models.CheckConstraint(condition=models.Q(models.Q(('application__isnull', True), ('counterpart__isnull', False)), models.Q(('application__isnull', False), ('counterpart__isnull', True)), _connector='OR'), name='unavailability_one_participant'),
            ),
            migrations.AddConstraint(
                model_name='unavailability',
                constraint=models.UniqueConstraint(fields=('slot', 'application'), name='unavailability_unique_application'),
            ),
            migrations.AddConstraint(
                model_name='unavailability',
                constraint=models.UniqueConstraint(fields=('slot', 'counterpart'), name='unavailability_unique_counterpart'),
            ),
            ],
        ),
        migrations.RunPython(content_types_follow, migrations.RunPython.noop),
    ]
