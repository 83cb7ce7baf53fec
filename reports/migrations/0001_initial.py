"""Reports leave missions: the models change app, their rows stay where they are."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


MOVED = ["missionreport", "reportstatuschange"]


def content_types_follow(apps, schema_editor):
    """Rows that name these models by content type (outbox emails about a report,
    permissions, admin history) keep pointing at them."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="missions", model__in=MOVED).update(app_label="reports")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('missions', '0003_dates_in_range'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables exist (missions created them): only Django's picture of them moves.
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='MissionReport',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('narrative', models.TextField(blank=True, verbose_name='narrative')),
                    ('status', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Awaiting review'), ('changes_requested', 'Changes requested'), ('approved', 'Approved')], default='draft', max_length=20, verbose_name='status')),
                    ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='submitted')),
                    ('reviewed_at', models.DateTimeField(blank=True, null=True, verbose_name='reviewed')),
                    ('reviewer_comment', models.TextField(blank=True, verbose_name="reviewer's comment")),
                    ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                    ('mission', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='report', to='missions.mission')),
                    ('reviewed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='reviewed by')),
                ],
                options={
                    'verbose_name': 'mission report',
                    'verbose_name_plural': 'mission reports',
                    'ordering': ['-updated_at'],
                    'db_table': 'missions_missionreport',
                },
            ),
            migrations.CreateModel(
                name='ReportStatusChange',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('changed_at', models.DateTimeField(auto_now_add=True, verbose_name='at')),
                    ('from_status', models.CharField(blank=True, choices=[('draft', 'Draft'), ('submitted', 'Awaiting review'), ('changes_requested', 'Changes requested'), ('approved', 'Approved')], max_length=20, verbose_name='from')),
                    ('to_status', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Awaiting review'), ('changes_requested', 'Changes requested'), ('approved', 'Approved')], max_length=20, verbose_name='to')),
                    ('comment', models.TextField(blank=True, verbose_name='comment')),
                    ('changed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to=settings.AUTH_USER_MODEL, verbose_name='by')),
                    ('report', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='status_changes', to='reports.missionreport')),
                ],
                options={
                    'verbose_name': 'report status change',
                    'verbose_name_plural': 'report status changes',
                    'ordering': ['changed_at', 'pk'],
                    'db_table': 'missions_reportstatuschange',
                },
            ),
            migrations.AddConstraint(
                model_name='missionreport',
                constraint=models.CheckConstraint(condition=models.Q(('status__in', ['draft', 'submitted', 'changes_requested', 'approved'])), name='report_status_known'),
            ),
            ],
        ),
        migrations.RunPython(content_types_follow, migrations.RunPython.noop),
    ]
