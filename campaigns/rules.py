"""Who may start a call for applications: the city's staff, and nobody else."""

import rules

from accounts.rules import is_city_staff

rules.add_perm("campaigns.start_campaign", is_city_staff)
