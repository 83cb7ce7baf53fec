# Campaign, moved from the notifications app with its rows: the table was renamed by
# notifications/0007, so this only tells Django's state; the model's content type
# follows it (its id, and so the permissions and the outbox's "mailing" references to
# it, stay as they were).

import django.db.models.deletion
import notifications.context
from django.conf import settings
from django.db import migrations, models


def content_type_follows(apps, schema_editor):
    _move_content_type(apps, "notifications", "campaigns")


def content_type_goes_back(apps, schema_editor):
    _move_content_type(apps, "campaigns", "notifications")


def _move_content_type(apps, before, after):
    ContentType = apps.get_model("contenttypes", "ContentType")
    OutboundEmail = apps.get_model("notifications", "OutboundEmail")
    old = ContentType.objects.filter(app_label=before, model="campaign").first()
    if old is None:
        return
    new = ContentType.objects.filter(app_label=after, model="campaign").first()
    if new is None:
        old.app_label = after
        old.save(update_fields=["app_label"])
        return
    # Both exist (Django created the new one already): the references move to it.
    OutboundEmail.objects.filter(mailing_type=old).update(mailing_type=new)
    OutboundEmail.objects.filter(related_type=old).update(related_type=new)
    OutboundEmail.objects.filter(topic_type=old).update(topic_type=new)
    old.delete()


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('missions', '0001_initial'),
        ('notifications', '0007_campaign_moves_to_campaigns'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Campaign',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(max_length=80, verbose_name='kind')),
                        ('audience', models.CharField(max_length=80, verbose_name='audience')),
                        ('audience_params', models.JSONField(blank=True, default=dict, verbose_name='audience settings')),
                        ('context', models.JSONField(blank=True, decoder=notifications.context.ContextDecoder, default=dict, encoder=notifications.context.ContextEncoder, verbose_name='context')),
                        ('context_version', models.PositiveSmallIntegerField(db_default=1, default=2, editable=False, verbose_name='context format')),
                        ('status', models.CharField(choices=[('pending', 'Waiting to start'), ('writing', 'Writing the emails'), ('written', 'All emails written')], default='pending', max_length=10, verbose_name='status')),
                        ('recipients', models.PositiveIntegerField(default=0, verbose_name='recipients written')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='started')),
                        ('written_at', models.DateTimeField(blank=True, null=True, verbose_name='all written')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='started by')),
                        ('mission', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='campaigns', to='missions.mission', verbose_name='mission')),
                    ],
                    options={
                        'verbose_name': 'campaign',
                        'verbose_name_plural': 'campaigns',
                        'ordering': ['-created_at', '-pk'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('status__in', ['pending', 'writing', 'written'])), name='campaign_status_known')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_type_follows, content_type_goes_back),
    ]
