"""Acting on many rows at once, as staff select them on a list.

Each row goes through the same service as when it is handled alone (its rules, its lock,
its history), in its own transaction: one refusal does not undo the others, and two
colleagues acting at once see the same refusals as one by one. What was done and what was
refused, row by row, is said in the messages of the page staff return to.
"""

import dataclasses
from collections.abc import Callable, Iterable

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# The most rows one action takes: a mission's applications or requests, ten times Toronto.
MAX_ROWS = 1000
# Refusals spelled out one by one in the message; the rest are counted.
REFUSALS_SHOWN = 10


@dataclasses.dataclass
class BulkOutcome:
    done: list[str] = dataclasses.field(default_factory=list)
    # (the row, why it was refused)
    refused: list[tuple[str, str]] = dataclasses.field(default_factory=list)


def act_on_each(
    rows: Iterable, act: Callable, label: Callable[[object], str], refusal=ValidationError
) -> BulkOutcome:
    """``act(row)`` for each row; a ``refusal`` raised by one is noted with its reason."""
    outcome = BulkOutcome()
    for row in rows:
        try:
            act(row)
        except refusal as error:
            outcome.refused.append((label(row), " ".join(error.messages)))
        else:
            outcome.done.append(label(row))
    return outcome


def tell(request, outcome: BulkOutcome, done: str) -> None:
    """The page's messages: ``done`` (already counted by the caller) when a row was done,
    then each refused row with its reason."""
    if outcome.done:
        messages.success(request, done)
    if not outcome.refused:
        return
    shown = [f"{row}: {why}" for row, why in outcome.refused[:REFUSALS_SHOWN]]
    left = len(outcome.refused) - len(shown)
    if left:
        shown.append(
            ngettext("and %(count)d more.", "and %(count)d more.", left) % {"count": left}
        )
    count = len(outcome.refused)
    messages.warning(
        request,
        ngettext("%(count)d refused: %(rows)s", "%(count)d refused: %(rows)s", count)
        % {"count": count, "rows": " — ".join(shown)},
    )


class IdsField(forms.Field):
    """Primary keys, as many as the checkboxes ticked."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        values = value if isinstance(value, list | tuple) else [value] if value else []
        if len(values) > MAX_ROWS:
            raise ValidationError(
                _("At most %(max)d rows at once.") % {"max": MAX_ROWS}, code="too_many"
            )
        if not all(str(item).isdigit() and len(str(item)) < 19 for item in values):
            raise ValidationError(_("The selection is not valid."), code="invalid")
        return sorted({int(item) for item in values})


class SelectionForm(forms.Form):
    """The rows ticked on a list page (``selected``), or every row matching its filters
    (``everything``: the filters are in the address the form posts to)."""

    selected = IdsField(required=False)
    everything = forms.BooleanField(required=False)

    def ticked(self) -> set[int]:
        """The rows ticked, as posted: shown ticked again with the form's errors."""
        return {int(pk) for pk in self.data.getlist("selected") if pk.isdigit()}

    def clean(self):
        data = super().clean()
        if not data.get("everything") and not data.get("selected") and not self.errors:
            raise ValidationError(
                _("Select at least one row, or every row matching the filters."),
                code="nothing_selected",
            )
        return data


class BulkActionMixin:
    """A list page (``ListView``) whose POST acts on the rows ticked, or on every row
    matching its filters, through ``act_on_each``; then the list again, with what was done
    and refused. A form in error shows the list with its errors and the rows still
    ticked. The page offers the form to whoever has ``bulk_permission``; a POST from anyone
    else is refused (403).

    A subclass gives ``bulk_form_class`` (a ``SelectionForm``), ``bulk_refusal`` (its
    service's error), and ``bulk_action(data)``: the function acting on one row and the
    function saying, from how many rows were done, what was done."""

    bulk_form_class = SelectionForm
    bulk_permission = ""
    bulk_refusal = ValidationError

    def bulk_action(self, data) -> tuple[Callable, Callable[[int], str]]:
        raise NotImplementedError

    def bulk_label(self, row) -> str:
        return str(row)

    def bulk_rows(self, data):
        """The rows to act on, in the list's order."""
        rows = self.get_queryset()
        return rows if data["everything"] else rows.filter(pk__in=data["selected"])

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm(self.bulk_permission):
            raise PermissionDenied
        form = self.bulk_form_class(request.POST)
        if not form.is_valid():
            self.object_list = self.get_queryset()
            context = self.get_context_data(bulk_form=form, selected=form.ticked())
            return self.render_to_response(context)
        act, done = self.bulk_action(form.cleaned_data)
        outcome = act_on_each(
            self.bulk_rows(form.cleaned_data)[:MAX_ROWS],
            act,
            label=self.bulk_label,
            refusal=self.bulk_refusal,
        )
        tell(request, outcome, done(len(outcome.done)))
        return redirect(request.get_full_path())

    def get_context_data(self, **kwargs):
        if self.request.user.has_perm(self.bulk_permission):
            kwargs.setdefault("bulk_form", self.bulk_form_class())
            kwargs.setdefault("selected", set())
        return super().get_context_data(**kwargs)
