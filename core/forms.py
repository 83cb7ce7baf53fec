"""What every app's forms share."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from core.csv_files import CsvFileError, csv_table


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's errors on the form, each next to its field (or at the top when the
    error names no field of this form)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        target = field if field in form.fields else None
        form.add_error(target if field != NON_FIELD_ERRORS else None, errors)


class CsvUploadForm(forms.Form):
    """A CSV file to import; subclasses give ``file`` its help text. A list is a few
    thousand lines at most: the size limit keeps a wrong file from filling the memory
    of the web process."""

    file = forms.FileField(label=_("CSV file"))

    MAX_BYTES = 2 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        # A file that is not CSV text is refused here, with its one sentence under the
        # field; the import's reader checks the rows.
        try:
            csv_table(upload.read())
        except CsvFileError as error:
            raise forms.ValidationError(str(error), code="not_csv") from None
        finally:
            upload.seek(0)
        return upload


# The range PostgreSQL's integer holds: a number a form accepts must fit its column.
INTEGER_RANGE = (-(2**31), 2**31 - 1)


class IntegerField(forms.IntegerField):
    """A form's whole number, never beyond what the database holds (a 500 otherwise):
    ``min_value`` and ``max_value`` default to PostgreSQL's integer range."""

    def __init__(self, *, min_value=None, max_value=None, **kwargs):
        super().__init__(
            min_value=INTEGER_RANGE[0] if min_value is None else min_value,
            max_value=INTEGER_RANGE[1] if max_value is None else max_value,
            **kwargs,
        )


class _ValuesIterator(forms.models.ModelChoiceIterator):
    """The options of a ``ValuesChoiceField``: the empty label, then ``(pk, label)``
    pairs read as values, in the queryset's order."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.queryset.values_list("pk", self.field.label_field)


class ValuesChoiceField(forms.ModelChoiceField):
    """A ``ModelChoiceField`` whose options are read as ``(pk, label)`` values, the label
    being the column ``label_field`` (a path such as ``company__name`` too): a list of
    hundreds builds no model object (measured: half the time of the field on a page of
    200 counterparts). It writes the same ``<select>`` as a ``ModelChoiceField`` whose
    ``label_from_instance`` gives that column; the chosen object is fetched, alone, when the
    form is cleaned, as ``ModelChoiceField`` does."""

    iterator = _ValuesIterator

    def __init__(self, queryset, *, label_field: str, **kwargs):
        self.label_field = label_field
        super().__init__(queryset, **kwargs)
