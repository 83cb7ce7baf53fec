"""The mission pages: public, detail, managing (staff) and browsing (list, calendar)."""
