"""The audit trail of the rows people keep (companies, contacts, counterparts): who
changed which field, when, from what to what.

django-simple-history writes the rows: each audited model declares
``history = AuditedHistory(...)``, which gives it a historical table in its own app
(one row per change, with the whole state after it, the author and the way it came:
a form, an import, the admin). This module adds what the portal needs on top:

- one row per write that changes something: a save or a many-to-many change that
  leaves everything as it was writes no row (an import run twice, a form sent back
  unchanged, a company verified twice);
- ``recorded(instance, by=..., via=...)`` makes one row of a write in several steps
  (the row, then its sectors), with its author, and none if the write fails;
  ``core.history_admin.AuditedAdmin`` does the same for the Django admin;
- ``history_page`` reads a page of history, newest first, with what changed, in a
  fixed number of queries whatever the number of rows.

The rows are written in the transaction of the change they record: a change refused
or rolled back leaves no row.
"""

from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import OuterRef, Q, Subquery, Value
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# How a change came, when not through the portal's own forms: ``history_change_reason``.
VIA_IMPORT = "import"
VIA_ADMIN = "admin"
VIA_LABELS = {VIA_IMPORT: _("import"), VIA_ADMIN: _("administration")}

CREATED, CHANGED, DELETED = "+", "~", "-"


class AuditedHistory(HistoricalRecords):
    """simple-history's ``HistoricalRecords`` writing a row only when the state changed.

    Every audited model registers here, so that ``recorded`` can write the one row of
    a write in several steps itself.
    """

    _by_model: dict[type, "AuditedHistory"] = {}

    def finalize(self, sender, **kwargs):
        super().finalize(sender, **kwargs)
        if sender is self.cls:
            AuditedHistory._by_model[sender] = self

    def m2m_changed(self, instance, action, attr, pk_set, reverse, **kwargs):
        if not reverse:
            super().m2m_changed(instance, action, attr, pk_set, reverse, **kwargs)
        elif action in ("post_add", "post_remove") and pk_set and _enabled():
            # Changed from the other side (``sector.company_set.add(...)``): each object
            # of this model whose field changed gets its row. (A clear from the other
            # side does not say which objects it changed: nothing in the portal does it.)
            for obj in self.cls._default_manager.filter(pk__in=pk_set):
                self.create_historical_record(obj, CHANGED)

    def create_historical_record(self, instance, history_type, using=None):
        if history_type == CHANGED and not self._changed_since_last_record(instance):
            return
        super().create_historical_record(instance, history_type, using=using)

    def _changed_since_last_record(self, instance) -> bool:
        manager = getattr(instance, self.manager_name)
        last = manager.order_by("-history_date", "-history_id").first()
        if last is None or last.history_type == DELETED:
            return True
        for model_field in self.fields_included(instance):
            if getattr(last, model_field.attname) != getattr(instance, model_field.attname):
                return True
        for m2m_field in self.get_m2m_fields_from_model(type(instance)):
            target = m2m_field.m2m_reverse_field_name()
            recorded_ids = set(
                getattr(last, m2m_field.name).values_list(f"{target}_id", flat=True)
            )
            current_ids = set(getattr(instance, m2m_field.name).values_list("pk", flat=True))
            if recorded_ids != current_ids:
                return True
        return False


def _enabled() -> bool:
    return getattr(settings, "SIMPLE_HISTORY_ENABLED", True)


def history_author(instance, *, by, via: str = "") -> None:
    """Who writes ``instance`` next (``None``: the portal itself), and how
    (``VIA_IMPORT``, ``VIA_ADMIN``; empty: a form of the portal)."""
    instance._history_user = by
    instance._change_reason = via or None


@contextmanager
def recorded(instance, *, by, via: str = ""):
    """Record the writes to ``instance`` inside the block (the row, then its
    many-to-many fields) as one row of history by ``by``, written at the end of the
    block: a creation if ``instance`` was not saved yet, a change otherwise (none if
    nothing changed). If the block raises, no row is written."""
    creating = instance._state.adding
    instance.skip_history_when_saving = True
    try:
        yield instance
    finally:
        del instance.skip_history_when_saving
    history_record(instance, by=by, via=via, created=creating)


def history_record(instance, *, by, via: str = "", created: bool) -> None:
    """Write the row of history of ``instance`` as it is now: its creation, or a
    change (none if nothing changed since the last row)."""
    history_author(instance, by=by, via=via)
    AuditedHistory._by_model[type(instance)].create_historical_record(
        instance, CREATED if created else CHANGED
    )


# Reading ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    """One field of a change: its translated name, and its values before and after as
    people read them (choice labels, names; a datetime stays one, for the template)."""

    label: str
    old: object
    new: object
    is_time: bool = False


@dataclass
class HistoryEntry:
    when: datetime
    author: object  # a user, or None for the portal itself
    via: str
    action: str  # CREATED, CHANGED or DELETED
    subject: str  # the object the change is about, on a page that mixes several
    changes: list[FieldChange] = field(default_factory=list)
    # A change with no earlier row (a row older than the audit trail): its values only.
    first_recorded: bool = False

    @property
    def created(self) -> bool:
        return self.action == CREATED

    @property
    def deleted(self) -> bool:
        return self.action == DELETED


@dataclass(frozen=True)
class HistorySource:
    """The history rows of one audited model that a page shows.

    ``records``: its historical rows, filtered to the page's objects; ``subject``
    names the object of a row on a page that mixes several models (``None``: the
    page's own object); ``hidden``: fields never shown (the link to the parent);
    ``select_related``: its foreign keys, fetched with the rows.
    """

    records: models.QuerySet
    subject: Callable[[models.Model], str] | None = None
    hidden: tuple[str, ...] = ()
    select_related: tuple[str, ...] = ()


def history_page(
    sources: Iterable[HistorySource], *, page_number, per_page: int = 25
) -> tuple[Page, list[HistoryEntry]]:
    """A page of the changes of ``sources``, newest first, each with the one before it
    of the same object, so as to say what changed.

    Queries: a count and a page of keys, then for each source its rows, the rows
    before them, and their many-to-many rows: the same number whatever the rows.
    """
    sources = list(sources)
    keys = [
        source.records.order_by()
        .annotate(source=Value(index))
        .values_list("history_id", "history_date", "source")
        for index, source in enumerate(sources)
    ]
    union = keys[0].union(*keys[1:], all=True) if len(keys) > 1 else keys[0]
    paginator = Paginator(union.order_by("-history_date", "-history_id"), per_page)
    page = paginator.get_page(page_number)
    rows = list(page.object_list)
    if not rows:
        return page, []
    newest, oldest = rows[0][1], rows[-1][1]
    entries: dict[tuple[int, int], HistoryEntry] = {}
    for index, source in enumerate(sources):
        wanted = {history_id for history_id, _date, at in rows if at == index}
        for record, entry in _entries(source, newest=newest, oldest=oldest, wanted=wanted):
            entries[(index, record.history_id)] = entry
    return page, [entries[(at, history_id)] for history_id, _date, at in rows]


def _entries(source: HistorySource, *, newest, oldest, wanted: set[int]):
    model = source.records.model
    tracked = model.instance_type._meta
    previous = (
        model.objects.filter(
            id=OuterRef("id"),
        )
        .filter(
            Q(history_date__lt=OuterRef("history_date"))
            | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
        )
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    # The page's time window, not its ids: a query runs even when this source has no
    # row on the page, and the number of queries stays the same.
    window = source.records.filter(history_date__range=(oldest, newest)).annotate(
        previous_id=Subquery(previous)
    )
    related = ("history_user", *source.select_related)
    in_window = list(window.select_related(*related))
    records = [r for r in in_window if r.history_id in wanted]
    # The rows before them by their ids, read above: the window and its subquery are
    # not compiled again for each query that follows (measured: most of the page's time).
    before_ids = {r.previous_id for r in in_window if r.previous_id is not None}
    earlier = {
        r.history_id: r
        for r in model.objects.filter(history_id__in=_or_none(before_ids)).select_related(
            *source.select_related
        )
    }
    m2m = _m2m_values(model, {r.history_id for r in in_window} | before_ids)
    fields = [
        f
        for f in tracked.concrete_fields
        if f.editable and not f.primary_key and f.name not in source.hidden
    ]
    for record in records:
        before = earlier.get(record.previous_id)
        entry = HistoryEntry(
            when=record.history_date,
            author=record.history_user,
            via=VIA_LABELS.get(record.history_change_reason or "", ""),
            action=record.history_type,
            subject=source.subject(record) if source.subject else "",
        )
        if record.history_type == CREATED or (record.history_type == CHANGED and before is None):
            entry.first_recorded = record.history_type == CHANGED
            entry.changes = [
                _change(f, None, _value(f, record, m2m))
                for f in chain(fields, _m2m_fields(model))
                if not _empty(_value(f, record, m2m))
            ]
        elif record.history_type == CHANGED:
            entry.changes = [
                _change(f, _value(f, before, m2m), _value(f, record, m2m))
                for f in chain(fields, _m2m_fields(model))
                if _value(f, before, m2m) != _value(f, record, m2m)
            ]
        yield record, entry


def _change(model_field, old, new) -> FieldChange:
    return FieldChange(
        model_field.verbose_name, old, new, is_time=isinstance(model_field, models.DateTimeField)
    )


def _m2m_fields(history_model) -> list:
    return list(history_model._history_m2m_fields)


def _or_none(history_ids: set[int]) -> list[int]:
    """The ids to read, or one no row has: Django would not query for no id at all, and
    the page's number of queries would then depend on its rows."""
    return sorted(history_ids) or [0]


def _m2m_values(history_model, history_ids: set[int]) -> dict:
    """{(field name, history id): ", ".join(related objects)} for the rows of
    ``history_ids`` (those of the window and the rows before them)."""
    values = {}
    for m2m_field in _m2m_fields(history_model):
        m2m_model = HistoricalRecords.m2m_models[m2m_field]
        target = m2m_field.m2m_reverse_field_name()
        names: dict[int, list[str]] = {}
        for row in m2m_model.objects.filter(history_id__in=_or_none(history_ids)).select_related(
            target
        ):
            names.setdefault(row.history_id, []).append(str(getattr(row, target)))
        # Rows without any related object have no entry: "—".
        values.update(
            {(m2m_field.name, history_id): ", ".join(sorted(n)) for history_id, n in names.items()}
        )
    return values


def _value(model_field, record, m2m: dict):
    if model_field.many_to_many:
        return m2m.get((model_field.name, record.history_id), "")
    if model_field.is_relation:
        related = getattr(record, model_field.name)
        if related is None:
            return ""
        if hasattr(related, "get_full_name"):
            return related.get_full_name() or related.email
        return str(related)
    value = getattr(record, model_field.attname)
    if model_field.choices:
        return dict(model_field.flatchoices).get(value, value)
    if isinstance(model_field, models.BooleanField):
        return _("Yes") if value else _("No")
    return value


def _empty(value) -> bool:
    return value is None or value == ""
