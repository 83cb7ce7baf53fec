# The outbox no longer points up at missions and campaigns: an email's mission becomes
# its "topic" and its campaign its "mailing", generic references the upper apps set.
# Every row keeps what it pointed at; going back restores the foreign keys (of the rows
# whose mission or campaign still exists).

import django.db.models.deletion
from django.db import migrations, models


def _content_type(apps, app_label, model):
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _created = ContentType.objects.get_or_create(app_label=app_label, model=model)
    return content_type


def _checked_now(schema_editor):
    # The updates' deferred foreign-key checks run now: PostgreSQL alters no table with
    # checks pending, and this migration alters the table next.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def foreign_keys_to_references(apps, schema_editor):
    OutboundEmail = apps.get_model("notifications", "OutboundEmail")
    mission = _content_type(apps, "missions", "mission")
    campaign = _content_type(apps, "notifications", "campaign")
    OutboundEmail.objects.filter(mission__isnull=False).update(
        topic_type=mission, topic_id=models.F("mission_id")
    )
    OutboundEmail.objects.filter(campaign__isnull=False).update(
        mailing_type=campaign, mailing_id=models.F("campaign_id")
    )
    _checked_now(schema_editor)


def references_to_foreign_keys(apps, schema_editor):
    OutboundEmail = apps.get_model("notifications", "OutboundEmail")
    Mission = apps.get_model("missions", "Mission")
    Campaign = apps.get_model("notifications", "Campaign")
    mission = _content_type(apps, "missions", "mission")
    campaign = _content_type(apps, "notifications", "campaign")
    OutboundEmail.objects.filter(
        topic_type=mission, topic_id__in=Mission.objects.values("pk")
    ).update(mission_id=models.F("topic_id"))
    OutboundEmail.objects.filter(
        mailing_type=campaign, mailing_id__in=Campaign.objects.values("pk")
    ).update(campaign_id=models.F("mailing_id"))
    _checked_now(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('missions', '0001_initial'),
        ('notifications', '0005_typed_contexts'),
    ]

    operations = [
        migrations.AddField(
            model_name='outboundemail',
            name='mailing_id',
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='outboundemail',
            name='mailing_type',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='contenttypes.contenttype'),
        ),
        migrations.AddField(
            model_name='outboundemail',
            name='topic_id',
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='outboundemail',
            name='topic_type',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='contenttypes.contenttype'),
        ),
        migrations.RunPython(foreign_keys_to_references, references_to_foreign_keys),
        migrations.RemoveIndex(
            model_name='outboundemail',
            name='notificatio_mission_e80ada_idx',
        ),
        migrations.RemoveIndex(
            model_name='outboundemail',
            name='notificatio_campaig_a95eb6_idx',
        ),
        migrations.RemoveField(
            model_name='outboundemail',
            name='campaign',
        ),
        migrations.RemoveField(
            model_name='outboundemail',
            name='mission',
        ),
        migrations.AddIndex(
            model_name='outboundemail',
            index=models.Index(fields=['topic_type', 'topic_id', 'status'], name='email_topic_idx'),
        ),
        migrations.AddIndex(
            model_name='outboundemail',
            index=models.Index(fields=['mailing_type', 'mailing_id', 'status'], name='email_mailing_idx'),
        ),
    ]
