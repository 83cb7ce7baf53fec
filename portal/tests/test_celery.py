"""The Celery app talks to the broker the environment names."""

from django.conf import settings

from portal.celery import app


def test_celery_reads_its_broker_from_the_environment():
    assert app.conf.broker_url == settings.CELERY_BROKER_URL
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True


def test_celery_reaches_the_real_redis_broker():
    # `make test` and CI point CELERY_BROKER_URL at the machine's Redis.
    assert settings.CELERY_BROKER_URL.startswith("redis://"), settings.CELERY_BROKER_URL
    assert settings.CELERY_TASK_ALWAYS_EAGER is False
    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=2)
        assert connection.connected
