"""The pages of applications: the company's (apply, answer, confirm, withdraw), staff's
review and decisions, and the delegation of a mission."""
