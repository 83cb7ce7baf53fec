"""Who may see and act on the outbox: the city's staff, and nobody else."""

import rules

from accounts.rules import is_city_staff

rules.add_perm("notifications.view_outbox", is_city_staff)
rules.add_perm("notifications.resend_email", is_city_staff)
