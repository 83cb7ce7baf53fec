"""Email addresses: one identity whatever their case, and the migration's report of rows
that would clash."""

from types import SimpleNamespace

import pytest

from core.fields import EmailClashError, canonical_email, lower_case_emails


def test_canonical_email():
    assert canonical_email(" Thomas.Fraineux@Provence-Tlc.Example\n") == (
        "thomas.fraineux@provence-tlc.example"
    )


class Rows:
    """Just what ``lower_case_emails`` asks of a model: its rows and updates."""

    def __init__(self, rows):
        self.rows = rows
        self.updates = []
        self._meta = SimpleNamespace(label="accounts.User")
        self._default_manager = self

    def order_by(self, *fields):
        return self

    def values_list(self, *fields):
        return [tuple(row[field] for field in fields) for row in self.rows]

    def filter(self, pk):
        self._pk = pk
        return self

    def update(self, **values):
        self.updates.append((self._pk, values))


def test_lower_case_emails_puts_addresses_in_lower_case():
    model = Rows([{"pk": 1, "email": "A@x.org"}, {"pk": 2, "email": "b@x.org"}])

    assert lower_case_emails(model) == 1
    assert model.updates == [(1, {"email": "a@x.org"})]


def test_lower_case_emails_names_every_clash_and_changes_nothing():
    model = Rows(
        [
            {"pk": 1, "email": "Thomas@x.org"},
            {"pk": 2, "email": "thomas@x.org"},
            {"pk": 3, "email": "Zoe@x.org"},
            {"pk": 4, "email": "ZOE@X.ORG"},
            {"pk": 5, "email": "Ali@x.org"},
        ]
    )

    with pytest.raises(EmailClashError) as error:
        lower_case_emails(model)

    assert str(error.value) == (
        "accounts.User: 2 addresses are held by several rows that differ only by case; "
        "merge or rename them, then migrate again:\n"
        "  #1 Thomas@x.org, #2 thomas@x.org\n"
        "  #3 Zoe@x.org, #4 ZOE@X.ORG"
    )
    assert model.updates == []


def test_lower_case_emails_clash_only_within_their_scope():
    model = Rows(
        [
            {"pk": 1, "email": "Jo@x.org", "company_id": 1},
            {"pk": 2, "email": "jo@x.org", "company_id": 2},
        ]
    )

    assert lower_case_emails(model, scope=("company_id",)) == 1


def test_every_whole_number_a_form_takes_fits_the_database():
    """A form that accepted 99999999999999999999 answered 500 (integer out of range):
    every integer field of every form of the portal has bounds within PostgreSQL's."""
    import inspect

    from django import forms
    from django.apps import apps

    from core.forms import INTEGER_RANGE

    unbounded = []
    for config in apps.get_app_configs():
        if not config.name.startswith(
            (
                "core",
                "accounts",
                "notifications",
                "missions",
                "companies",
                "delegations",
                "campaigns",
                "reports",
            )
        ):
            continue
        try:
            module = __import__(f"{config.name}.forms", fromlist=["*"])
        except ModuleNotFoundError:
            continue
        for _name, form in inspect.getmembers(module, inspect.isclass):
            if not issubclass(form, forms.BaseForm) or form.__module__ != module.__name__:
                continue
            for field_name, field in form.base_fields.items():
                if isinstance(field, forms.DecimalField):
                    bounded = field.max_digits is not None  # so many digits at most
                elif isinstance(field, forms.IntegerField):
                    bounded = (
                        field.min_value is not None
                        and field.max_value is not None
                        and INTEGER_RANGE[0] <= field.min_value
                        and field.max_value <= INTEGER_RANGE[1]
                    )
                else:
                    continue
                if not bounded:
                    unbounded.append(f"{form.__name__}.{field_name}")

    assert unbounded == []
