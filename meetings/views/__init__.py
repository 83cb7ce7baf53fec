"""The pages of B2B meetings: counterparts and requests, the grid, agendas, answers."""
