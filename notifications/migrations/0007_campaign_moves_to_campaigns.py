# Campaign moves to the campaigns app (campaigns/0001_initial takes it over): its table
# is renamed with every row, and the outbox's state forgets the model.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0006_topic_and_mailing_references'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Campaign')],
            database_operations=[
                migrations.AlterModelTable(name='Campaign', table='campaigns_campaign'),
            ],
        ),
    ]
