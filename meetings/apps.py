from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("B2B meetings")

    def ready(self):
        # Follow-ups are queued when a mission is completed: told to missions (below).
        from meetings.services.follow_up import follow_up_when_completed
        from missions import hooks

        hooks.add_after_transition(follow_up_when_completed)
