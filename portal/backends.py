"""The logged-in user of each request, read with what decides their role.

Django's ``ModelBackend`` reads the user, then every page asks which groups they are in
(``accounts.rules.role_of``, for the menu) and, for a company member, their membership
and company (``companies.selectors.company_of``): up to four queries before the page
reads anything of its own. Here they are one, written in SQL once at start-up: the ORM
would compile its subqueries and joins on every request, which costs more than the
queries it saves (measured: 1.5 ms against 0.4 ms for the groups alone). On PostgreSQL
it also reads the snapshot of the data the request is about to read
(``user.data_snapshot``), which ``core.page_cache`` keys its pages with.

On PostgreSQL the query is a prepared statement of each connection: planning it took
three quarters of its time (measured: 1.3 ms a request against 0.3 ms prepared).
"""

from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.db import connection

from accounts.rules import OFFICIALS_GROUP, STAFF_GROUP
from companies.models import Company, CompanyMembership


@cache
def _user_with_role_sql() -> str:
    """Only names from the models, quoted; the values are parameters."""
    quote = connection.ops.quote_name
    user = get_user_model()
    through = user.groups.through._meta
    names = {
        "users": quote(user._meta.db_table),
        "id": quote(user._meta.pk.column),
        "links": quote(through.db_table),
        "link_user": quote(through.get_field("user").column),
        "link_group": quote(through.get_field("group").column),
        "groups": quote(Group._meta.db_table),
        "memberships": quote(CompanyMembership._meta.db_table),
        "member": quote(CompanyMembership._meta.get_field("user").column),
        "member_company": quote(CompanyMembership._meta.get_field("company").column),
        "companies": quote(Company._meta.db_table),
        "company_id": quote(Company._meta.pk.column),
    }
    in_group = (
        "EXISTS (SELECT 1 FROM {links} m JOIN {groups} g ON g.id = m.{link_group} "
        "WHERE m.{link_user} = u.{id} AND g.name = %s)"
    )
    joined = ", ".join(
        f"{table}.{quote(field.column)} AS {quote(prefix + field.column)}"
        for prefix, table, model in (
            ("membership__", "cm", CompanyMembership),
            ("company__", "c", Company),
        )
        for field in model._meta.concrete_fields
    )
    # The state of the data this request reads (core.page_cache), in the same statement.
    snapshot = "pg_current_snapshot()::text" if connection.vendor == "postgresql" else "NULL"
    return (
        f"SELECT u.*, {in_group} AS in_staff_group, {in_group} AS in_officials_group, "  # noqa: S608 - quoted model names, values as parameters
        f"{snapshot} AS data_snapshot, {joined} FROM {{users}} u "
        "LEFT JOIN {memberships} cm ON cm.{member} = u.{id} "
        "LEFT JOIN {companies} c ON c.{company_id} = cm.{member_company} "
        "WHERE u.{id} = %s"
    ).format(**names)


# The prepared statement's name, on each PostgreSQL connection that has read a user.
STATEMENT = "portal_user_with_role"


def _prepared_on_this_connection() -> str:
    """``EXECUTE`` of the user query, prepared first if this connection has not yet
    (through the driver's own cursor: setting up a connection is no page's query)."""
    connection.ensure_connection()
    driver_connection = connection.connection
    if getattr(connection, "_portal_user_statement", None) is not driver_connection:
        with driver_connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_prepared_statements WHERE name = %s", [STATEMENT])
            if cursor.fetchone() is None:
                numbered = _user_with_role_sql()
                for number in (1, 2, 3):
                    numbered = numbered.replace("%s", f"${number}", 1)
                cursor.execute(f"PREPARE {STATEMENT} AS {numbered}")
        # The driver's connection itself, kept: a new one after a reconnection is another.
        connection._portal_user_statement = driver_connection
    return f"EXECUTE {STATEMENT}(%s, %s, %s)"


def _joined(user, prefix: str, model):
    """The ``model`` row read with the user under ``prefix``, or None (no such row);
    its columns are taken off the user."""
    fields = model._meta.concrete_fields
    values = [user.__dict__.pop(prefix + field.column) for field in fields]
    if values[0] is None:  # the primary key: no row joined
        return None
    return model.from_db(None, [field.attname for field in fields], values)


class PortalBackend(ModelBackend):
    """``ModelBackend`` whose ``get_user`` also reads ``in_staff_group`` and
    ``in_officials_group``, which ``accounts.rules`` uses, and ``user.membership`` with its
    company (or that there is none): one query."""

    def get_user(self, user_id):
        sql = (
            _prepared_on_this_connection()
            if connection.vendor == "postgresql"
            else _user_with_role_sql()
        )
        found = get_user_model()._default_manager.raw(sql, [STAFF_GROUP, OFFICIALS_GROUP, user_id])
        user = next(iter(found), None)
        if user is None or not self.user_can_authenticate(user):
            return None
        # SQLite answers 0 and 1.
        user.in_staff_group, user.in_officials_group = (
            bool(user.in_staff_group),
            bool(user.in_officials_group),
        )
        membership = _joined(user, "membership__", CompanyMembership)
        company = _joined(user, "company__", Company)
        # As Django keeps what it has read of a relation: no query when a page asks.
        accessor = CompanyMembership._meta.get_field("user").remote_field
        accessor.set_cached_value(user, membership)
        if membership is not None:
            CompanyMembership._meta.get_field("user").set_cached_value(membership, user)
            CompanyMembership._meta.get_field("company").set_cached_value(membership, company)
        return user
