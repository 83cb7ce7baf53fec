"""Numbers and money as the reader's language writes them, the same on every page, PDF,
chart and email: figures grouped by thousands, euros with their cents, "—" for what is
not known."""

from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _


def euros(value) -> str:
    """ "12 100,50 €" in French, "€12,100.50" in English; "—" when unknown."""
    if value is None or value == "":
        return "—"
    amount = formats.number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)
    return _("€%(amount)s") % {"amount": amount}


def figure(value, unit: str = "") -> str:
    """A figure grouped by thousands (a ``Decimal`` with two decimals); in euros when
    ``unit`` is "€", else followed by ``unit``; "—" when unknown."""
    if value is None or value == "":
        return "—"
    if unit == "€":
        return euros(value)
    if isinstance(value, Decimal):
        text = formats.number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)
    else:
        text = formats.number_format(value, use_l10n=True, force_grouping=True)
    return f"{text} {unit}" if unit else text
