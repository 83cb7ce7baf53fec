"""Every write of the meetings app, by subject:

- ``requests``: counterparts and the meeting requests, qualified or declined;
- ``grid``: the meeting grid, unavailabilities, the scheduler's run, moves and locks;
- ``invitations``: meeting invitations, the counterparts' answers, reminders, outcomes;
- ``follow_up``: six months after a mission, where each meeting led.
"""
