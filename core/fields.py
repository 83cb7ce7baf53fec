"""Model fields the apps share."""

from django.db import models


def canonical_email(value: str) -> str:
    """An email address as the portal holds it: one address is one identity, whatever
    the case it was typed in (``Thomas.Fraineux@Provence-Tlc.Example`` is
    ``thomas.fraineux@provence-tlc.example``), without the spaces around it."""
    return value.strip().lower()


class CanonicalEmailField(models.EmailField):
    """An email address stored, and looked up, in its canonical form (``canonical_email``)
    whatever the path: a form, the admin, a service, an import, a filter. Pair it with a
    ``lower_case_check`` constraint so that the database refuses any other form."""

    def to_python(self, value):
        value = super().to_python(value)
        return canonical_email(value) if isinstance(value, str) else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return canonical_email(value) if isinstance(value, str) else value


def lower_case_check(field: str, *, name: str) -> models.CheckConstraint:
    """The database's own refusal of an address that is not in lower case."""
    return models.CheckConstraint(
        condition=models.Q(**{field: models.functions.Lower(field)}), name=name
    )


class EmailClashError(RuntimeError):
    """Rows whose addresses differ only by their case: one must go before migrating."""


def lower_case_emails(model, *, field: str = "email", scope: tuple[str, ...] = ()) -> int:
    """For a data migration: put every address of ``model`` in its canonical form.

    Stops with ``EmailClashError`` naming every clash (rows of one ``scope`` whose
    addresses differ only by case) and changes nothing, for someone to merge or rename
    them first. Returns how many rows were changed."""
    rows = model._default_manager.order_by("pk").values_list("pk", field, *scope)
    groups: dict[tuple, list[tuple[int, str]]] = {}
    for pk, email, *where in rows:
        groups.setdefault((*where, canonical_email(email)), []).append((pk, email))
    clashes = [group for group in groups.values() if len(group) > 1]
    if clashes:
        lines = [
            ", ".join(f"#{pk} {email}" for pk, email in group) for group in clashes
        ]
        raise EmailClashError(
            f"{model._meta.label}: {len(clashes)} addresses are held by several rows that "
            "differ only by case; merge or rename them, then migrate again:\n  "
            + "\n  ".join(lines)
        )
    changed = 0
    for group in groups.values():
        ((pk, email),) = group
        if email != canonical_email(email):
            model._default_manager.filter(pk=pk).update(**{field: canonical_email(email)})
            changed += 1
    return changed
