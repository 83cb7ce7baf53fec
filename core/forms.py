"""What every app's forms share."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.choices import BaseChoiceIterator, normalize_choices
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.csv_files import CsvFileError, csv_table
from core.renderers import _option, _text


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


class EurosField(forms.DecimalField):
    """An amount in euros as people type it in either language: "20 000,50", "20000.50",
    "20 000 €" (spaces, also the non-breaking ones a copy from a spreadsheet brings, and
    the euro sign are dropped; a comma or a point before the cents). Shown back in the
    reader's language. Never negative, at most ``max_digits`` (the database's)."""

    widget = forms.TextInput

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", 0)
        super().__init__(localize=True, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = "".join(value.replace("€", "").split()).replace("\u202f", "")
            if value.count(",") == 1 and "." not in value:
                value = value.replace(",", ".")
        return super().to_python(value)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "inputmode": "decimal"}


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


class ChoicesOnce(BaseChoiceIterator):
    """Choices that are the same for every form of the process in a language (the
    countries, the time zones): made by ``make`` once per language, never copied with the
    form's fields nor normalized again, and their ``<option>`` written once. A
    ``ChoicesOnceSelect`` then draws a select of 600 options by marking the chosen one in
    what is written (measured: the mission form's two selects took half its time).

    ``make`` returns choices as Django takes them (pairs, or groups of pairs)."""

    def __init__(self, make):
        self._make = make
        self._made: dict[str, tuple] = {}

    def _in_language(self) -> tuple:
        language = get_language()
        made = self._made.get(language)
        if made is None:
            choices = normalize_choices(list(self._make()))
            made = self._made[language] = (choices, *self._written(choices))
        return made

    @staticmethod
    def _written(choices) -> tuple[list[str], dict[str, tuple[int, str]]]:
        """Django's ``select.html`` and ``select_option.html`` (as ``core.renderers``
        writes them) with no choice selected: the parts of the options, and for each
        value its first option's place and that option selected."""
        parts, where = [], {}
        for group_value, group_label in choices:
            group = isinstance(group_label, list | tuple)
            tagged = group and group_value  # Django writes no <optgroup> for a name ""
            if tagged:
                parts.append(f'\n  <optgroup label="{_text(group_value)}">')
            # A value None outside a group is drawn as "", inside one as "None" (Django).
            options = (
                group_label
                if group
                else [("" if group_value is None else group_value, group_label)]
            )
            for value, label in options:
                if str(value) not in where:
                    chosen = {"value": value, "label": label, "attrs": {"selected": True}}
                    where[str(value)] = (len(parts), f"\n  {_option(chosen)}\n")
                option = {"value": value, "label": label, "attrs": {}}
                parts.append(f"\n  {_option(option)}\n")
            if tagged:
                parts.append("\n  </optgroup>")
        return parts, where

    def __iter__(self):
        return iter(self._in_language()[0])

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    def options_html(self, chosen: list[str]) -> str:
        """The options of a single select whose value is ``chosen`` (as
        ``Select.format_value`` gives it): the first option whose value is
        chosen is selected, as Django does."""
        _choices, parts, where = self._in_language()
        found = [where[value] for value in chosen if value in where]
        if found:
            index, selected = min(found)
            parts = parts.copy()
            parts[index] = selected
        return "".join(parts)


class _LazyOptgroups:
    """A widget's ``optgroups``, worked out only if a template reads them."""

    def __init__(self, make):
        self._make = make

    def __iter__(self):
        return iter(self._make())


class ChoicesOnceSelect(forms.Select):
    """A ``Select`` that, given ``ChoicesOnce``, hands the form renderer the written
    options (``core.renderers`` draws them as they are); any other template still finds
    the ``optgroups`` Django's select reads. Other choices: a plain ``Select``."""

    def get_context(self, name, value, attrs):
        if not isinstance(self.choices, ChoicesOnce):
            return super().get_context(name, value, attrs)
        context = forms.Widget.get_context(self, name, value, attrs)
        chosen = context["widget"]["value"]
        context["widget"]["optgroups"] = _LazyOptgroups(
            lambda: self.optgroups(name, chosen, attrs)
        )
        context["widget"]["choices_once"] = (self.choices, chosen)
        return context
