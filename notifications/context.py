"""An email's context, typed from the moment it is queued to the moment it is rendered.

The outbox stores a context as JSON. A value JSON has no type for (a datetime, a date,
a time, a Decimal, a country, a text in several languages, a sentence of the
catalogue) is stored with an explicit tag, ``{"__type__": "datetime", "value": ...}``,
by ``ContextEncoder``, and comes back as the same Python value through
``ContextDecoder``: the two are the outbox's JSON fields' encoder and decoder, so a
row's ``context`` holds typed values in memory, before and after it is saved.

What the recipient reads is decided at send time, in their language: a ``Translated``
text or a ``Message`` becomes text in the language the email is rendered in
(``localised``), a country names itself in it, and templates format dates and numbers
in it. The context holds values, never text translated when the email was queued.

Rows queued before contexts were typed (``OutboundEmail.context_version`` 1) hold
datetimes and dates as ISO strings, recognised by their key's name: ``legacy_values``
revives them as the renderer did then, so those emails still render.
"""

import datetime
import decimal
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext
from django_countries.fields import Country

TYPE = "__type__"

# The version of the format a row's context is written in (OutboundEmail.context_version).
LEGACY = 1  # ISO strings, typed by their key's name (``*_at``, ``*_date``)
TYPED = 2  # explicit type tags


@dataclass(frozen=True, eq=True)
class Translated:
    """A text given in each of the portal's languages, such as a sector's name: the email
    shows the one of its recipient's language (the default language's if it lacks it)."""

    texts: Mapping[str, str]

    def __post_init__(self):
        if not self.texts or not all(
            isinstance(key, str) and isinstance(text, str) for key, text in self.texts.items()
        ):
            raise TypeError("Translated needs a text (str) for each language code (str).")
        object.__setattr__(self, "texts", dict(self.texts))

    def __hash__(self):
        return hash(tuple(sorted(self.texts.items())))

    def __str__(self):
        language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
        for code in (language, settings.LANGUAGE_CODE):
            if code in self.texts:
                return self.texts[code]
        return next(iter(self.texts.values()))


@dataclass(frozen=True, eq=True)
class Message:
    """A sentence of the portal's catalogue and its values, translated when the email is
    rendered: ``Message(gettext_noop("%(place)s — table %(table)s"), {"place": ..., ...})``.

    Mark the sentence with ``gettext_noop`` so that ``makemessages`` finds it."""

    text: str
    params: Mapping[str, object] = field(default_factory=dict)

    def __post_init__(self):
        if not isinstance(self.text, str) or isinstance(self.text, Promise):
            raise TypeError("Message takes the sentence itself (gettext_noop), not a lazy text.")
        object.__setattr__(self, "params", dict(self.params))

    def __hash__(self):
        return hash((self.text, tuple(sorted(self.params))))

    def __str__(self):
        translated = gettext(self.text)
        if not self.params:
            return translated
        return translated % {key: _text(value) for key, value in self.params.items()}


class ContextEncoder(json.JSONEncoder):
    """JSON for a context, each value JSON lacks a type for tagged with its type.

    Refuses what it cannot bring back: a naive datetime (which zone?), a lazy
    translation (translated in which language? use ``Message``), any other object.
    """

    def default(self, o):
        if isinstance(o, datetime.datetime):
            if o.tzinfo is None or o.utcoffset() is None:
                raise TypeError(f"A datetime in an email's context needs a time zone: {o!r}.")
            tagged = {TYPE: "datetime", "value": o.isoformat()}
            if isinstance(o.tzinfo, ZoneInfo):
                tagged["zone"] = o.tzinfo.key
            return tagged
        if isinstance(o, datetime.date):
            return {TYPE: "date", "value": o.isoformat()}
        if isinstance(o, datetime.time):
            if o.tzinfo is not None:
                raise TypeError(f"A time in an email's context has no time zone: {o!r}.")
            return {TYPE: "time", "value": o.isoformat()}
        if isinstance(o, decimal.Decimal):
            return {TYPE: "decimal", "value": str(o)}
        if isinstance(o, Country):
            return {TYPE: "country", "value": o.code}
        if isinstance(o, Translated):
            return {TYPE: "translated", "value": o.texts}
        if isinstance(o, Message):
            return {TYPE: "message", "value": o.text, "params": o.params}
        if isinstance(o, Promise):
            raise TypeError(
                "A lazy translation in an email's context would be translated when it is "
                "queued: give a Message (gettext_noop) instead."
            )
        raise TypeError(f"An email's context cannot hold {type(o).__name__}: {o!r}.")


def _typed(tagged: dict):
    kind, value = tagged[TYPE], tagged.get("value")
    if kind == "datetime":
        moment = datetime.datetime.fromisoformat(value)
        return moment.astimezone(ZoneInfo(tagged["zone"])) if "zone" in tagged else moment
    if kind == "date":
        return datetime.date.fromisoformat(value)
    if kind == "time":
        return datetime.time.fromisoformat(value)
    if kind == "decimal":
        return decimal.Decimal(value)
    if kind == "country":
        return Country(value)
    if kind == "translated":
        return Translated(value)
    if kind == "message":
        return Message(value, tagged.get("params") or {})
    raise ValueError(f"Unknown type {kind!r} in an email's context.")


class ContextDecoder(json.JSONDecoder):
    """JSON back to a context: each tagged value to its type; the rest as JSON has it."""

    def __init__(self, *args, **kwargs):
        kwargs["object_hook"] = self._object
        super().__init__(*args, **kwargs)

    @staticmethod
    def _object(value: dict):
        return _typed(value) if TYPE in value else value


def check_keys(value, *, path: str = "context") -> None:
    """Refuse a dictionary key the encoding reserves (it would come back as a value)."""
    if isinstance(value, Mapping):
        if TYPE in value:
            raise ValueError(f"{path} uses the reserved key {TYPE!r}.")
        for key, item in value.items():
            check_keys(item, path=f"{path}[{key!r}]")
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            check_keys(item, path=f"{path}[{index}]")
    elif isinstance(value, Message):
        check_keys(value.params, path=f"{path}.params")


def legacy_values(value, key: str = ""):
    """A context of format 1 as its renderer read it: ``*_at`` keys' strings to
    datetimes, ``*_date`` keys' strings to dates, whatever their depth."""
    if isinstance(value, dict):
        return {k: legacy_values(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [legacy_values(item) for item in value]
    if isinstance(value, str) and key.endswith("_at"):
        return datetime.datetime.fromisoformat(value)
    if isinstance(value, str) and key.endswith("_date"):
        return datetime.date.fromisoformat(value)
    return value


def _text(value):
    """A value within a sentence: a country by its name, in the active language."""
    return value.name if isinstance(value, Country) else localised(value)


def localised(value):
    """The value as the recipient reads it, in the active language: texts (``Translated``,
    ``Message``) become strings, whatever their depth; every other value stays typed
    for the template to format."""
    if isinstance(value, Translated | Message):
        return str(value)
    if isinstance(value, dict):
        return {key: localised(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [localised(item) for item in value]
    return value
