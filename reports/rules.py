import rules

from accounts.rules import is_city_staff, is_official

# A mission's report: staff write and submit it; officials approve it or send it back.
# Companies never see it.
rules.add_perm("reports.edit_report", is_city_staff)
rules.add_perm("reports.submit_report", is_city_staff)
rules.add_perm("reports.review_report", is_official)
rules.add_perm("reports.act_on_report", is_city_staff | is_official)
