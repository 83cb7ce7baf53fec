"""Which counterparts of a mission fit a company best, and why, in one line.

No external service and no model: a score from what both sides wrote, the same on every
run, that a person can check by reading the two records. For a company's application
and a counterpart of its mission:

- each shared sector counts most (``SECTOR_POINTS``);
- the counterpart's kind named in the profiles the company seeks (its
  ``counterparts_sought``: "distributeurs", "an investor"...; ``KIND_WORDS``, both
  languages) counts next (``KIND_POINTS``), half as much if only its ``objectives`` name
  it (they often name clients and partners in passing);
- each word of what the company seeks found in the counterpart's description or
  interests (``SOUGHT_POINTS``), and each word of what it offers (its ``products`` and
  the company's description) found there (``OFFERED_POINTS``), a few at most each.

Words are compared lowercased, without accents, without the small words of French and
English (``STOP_WORDS``) nor the destination's own names (every counterpart is there),
and without a plural's final s or x. A pair that scores 0 is no suggestion. The reason
of a suggestion is read in the reader's language when it is shown (``Suggestion.reason``).

``rank`` works on what is already loaded; ``meetings.selectors.suggestions_for`` and
``meetings.selectors.applications_without_fit`` load it in a fixed number of queries.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from meetings.enums import CounterpartKind

SECTOR_POINTS = 12
KIND_POINTS = 6
KIND_IN_OBJECTIVES_POINTS = 3
SOUGHT_POINTS = 2
OFFERED_POINTS = 1
# Words beyond these add nothing: a long text does not outweigh a shared sector.
WORDS_COUNTED = 3
# How many suggestions a page shows, and how many words a reason names.
SHOWN = 5
WORDS_NAMED = 3
SECTORS_NAMED = 3


def _listed(text: str) -> frozenset[str]:
    return frozenset(text.split())


# The small words of both languages, accents removed; words of one or two letters are
# left out anyway.
STOP_WORDS = _listed(
    """
    les des une aux par pour avec sans dans sur sous entre vers chez que qui quoi dont
    est sont etre ete avoir ont nous vous ils elles leur leurs notre nos votre vos son
    ses sa mon mes ton tes cette ces cet tout tous toute toutes plus moins tres aussi
    mais donc car comme afin ainsi autre autres meme non oui pas peu bien deja encore
    faire fait avons etc entreprise societe organisation service solution produit offre
    marche identifier tester interet activite projet developpement secteur
    the and for with without into from that this these those are was were been being
    have has had our ours your yours their theirs its who whom which what when where
    how all any each more most very also but not than then there here such other own
    can will would should could about over under after before between etc company
    organization service solution product offer market project activity development
    sector
    """
)

# What names each kind of counterpart in what a company seeks, both languages, as the
# words are compared (``words``: no accent, no final s or x).
KIND_WORDS = {
    CounterpartKind.INVESTOR: _listed(
        "investor investisseur investissement investment fond fund funding financement "
        "financeur capital venture angel levee"
    ),
    CounterpartKind.BUYER: _listed(
        "buyer acheteur achat purchaser purchasing client customer donneur acquereur"
    ),
    CounterpartKind.DISTRIBUTOR: _listed(
        "distributor distributeur distribution importer importateur import revendeur "
        "reseller grossiste wholesaler"
    ),
    CounterpartKind.PARTNER: _listed("partner partenaire partenariat partnership"),
    CounterpartKind.INSTITUTION: _listed(
        "institution institutionnel cluster grappe organisme agency agence chambre "
        "chamber accompagnement"
    ),
    CounterpartKind.STARTUP: _listed("startup pousse scaleup"),
}

# What a reason says of the kind the company seeks: French says "un" or "une".
KIND_SOUGHT = {
    CounterpartKind.INVESTOR: _("looking for an investor"),
    CounterpartKind.BUYER: _("looking for a buyer"),
    CounterpartKind.DISTRIBUTOR: _("looking for a distributor"),
    CounterpartKind.PARTNER: _("looking for a partner"),
    CounterpartKind.INSTITUTION: _("looking for an institution"),
    CounterpartKind.STARTUP: _("looking for a start-up"),
}

_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _folded(text: str) -> str:
    """Lowercased, without accents: "Épicerie" → "epicerie"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _stem(word: str) -> str:
    """A word without a plural's final s or x: "distributeurs" → "distributeur"."""
    return word[:-1] if len(word) > 3 and word[-1] in "sx" else word


def words(text: str, *, ignored: frozenset[str] = frozenset()) -> dict[str, str]:
    """The meaningful words of ``text`` as they are compared, each with the first way
    the text writes it (lowercased), to be named in a reason: "Huiles d'olive" →
    ``{"huile": "huiles", "olive": "olive"}``. A hyphenated word counts whole and by its
    parts ("start-up": "startup", "start"). ``ignored`` are left out, as compared."""
    found: dict[str, str] = {}
    lowered = text.lower()
    for match in _WORD.finditer(_folded(text)):
        # Folding keeps the length of most text; where it did not, name the folded word.
        written = lowered[match.start() : match.end()]
        if _folded(written) != match.group():
            written = match.group()
        parts = match.group().split("-")
        candidates = [("".join(parts), written)]
        if len(parts) > 1:
            candidates += [(part, part) for part in parts]
        for candidate, shown in candidates:
            if len(candidate) < 3 or candidate.isdigit() or candidate in STOP_WORDS:
                continue
            stem = _stem(candidate)
            if stem not in ignored and stem not in STOP_WORDS:
                found.setdefault(stem, shown)
    return found


# What is compared -------------------------------------------------------------------


@dataclass(frozen=True)
class CompanyProfile:
    """What a company's application says, as compared: its sectors (ids), the profiles
    it seeks (``profiles``), what it seeks (the profiles and its objectives) and what it
    offers (``words``)."""

    application_id: int
    sectors: frozenset[int]
    profiles: frozenset[str]
    sought: frozenset[str]
    offered: frozenset[str]


@dataclass(frozen=True)
class CounterpartProfile:
    """A counterpart as compared: its sectors (id → the ``Sector``, named in a reason),
    its kind, and the words of its description and interests (as compared → as written)."""

    counterpart_id: int
    sort_key: tuple
    kind: str
    sectors: dict
    said: dict[str, str]


def destination_words(mission) -> frozenset[str]:
    """The words of the mission's cities: every counterpart is there, so they tell
    nothing."""
    return frozenset(words(mission.cities))


def company_profile(application, *, ignored: frozenset[str] = frozenset()) -> CompanyProfile:
    """``application`` with its company and the company's sectors loaded."""
    company = application.company
    profiles = frozenset(words(application.counterparts_sought, ignored=ignored))
    return CompanyProfile(
        application_id=application.pk,
        sectors=frozenset(sector.pk for sector in company.sectors.all()),
        profiles=profiles,
        sought=profiles | frozenset(words(application.objectives, ignored=ignored)),
        offered=frozenset(
            words(f"{application.products}\n{company.description}", ignored=ignored)
        ),
    )


def counterpart_profile(counterpart, *, ignored: frozenset[str] = frozenset()):
    """``counterpart`` with its sectors loaded."""
    return CounterpartProfile(
        counterpart_id=counterpart.pk,
        sort_key=(counterpart.organisation.lower(), counterpart.pk),
        kind=counterpart.kind,
        sectors={sector.pk: sector for sector in counterpart.sectors.all()},
        said=words(f"{counterpart.description}\n{counterpart.interests}", ignored=ignored),
    )


# The score and its reason -----------------------------------------------------------


@dataclass(frozen=True)
class Match:
    """Why a counterpart fits a company: the shared sectors, whether the company seeks
    its kind, the words of what it seeks and of what it offers found in what the
    counterpart says (as the counterpart writes them), and the score they make."""

    score: int
    sectors: tuple = ()
    kind: str = ""
    sought: tuple[str, ...] = ()
    offered: tuple[str, ...] = ()


def match(company: CompanyProfile, counterpart: CounterpartProfile) -> Match:
    """How well ``counterpart`` fits ``company``: 0 if nothing is shared. Never negative."""
    shared = sorted(company.sectors.intersection(counterpart.sectors))
    kind_words = KIND_WORDS.get(counterpart.kind, frozenset())
    if company.profiles & kind_words:
        kind, kind_points = counterpart.kind, KIND_POINTS
    elif company.sought & kind_words:
        kind, kind_points = counterpart.kind, KIND_IN_OBJECTIVES_POINTS
    else:
        kind, kind_points = "", 0
    # In the order the counterpart writes them; the kind's own words count once, as the
    # kind.
    sought = [
        word for word in counterpart.said if word in company.sought and word not in kind_words
    ][:WORDS_COUNTED]
    offered = [
        word for word in counterpart.said if word in company.offered and word not in sought
    ][:WORDS_COUNTED]
    score = (
        SECTOR_POINTS * len(shared)
        + kind_points
        + SOUGHT_POINTS * len(sought)
        + OFFERED_POINTS * len(offered)
    )
    return Match(
        score=score,
        sectors=tuple(counterpart.sectors[pk] for pk in shared),
        kind=kind,
        sought=tuple(counterpart.said[word] for word in sought),
        offered=tuple(counterpart.said[word] for word in offered),
    )


def reason(found: Match) -> str:
    """What ``found`` says in one line, in the active language: "Same sector: Health ·
    looking for a distributor · interested in: olive, oil"."""
    parts = []
    if found.sectors:
        names = ", ".join(sector.name for sector in found.sectors[:SECTORS_NAMED])
        parts.append(
            ngettext("Same sector: %(sectors)s", "Same sectors: %(sectors)s", len(found.sectors))
            % {"sectors": names}
        )
    if found.kind:
        parts.append(str(KIND_SOUGHT[found.kind]))
    if found.sought:
        parts.append(
            str(_("matches the profile sought: %(words)s"))
            % {"words": ", ".join(found.sought[:WORDS_NAMED])}
        )
    if found.offered:
        parts.append(
            str(_("interested in: %(words)s")) % {"words": ", ".join(found.offered[:WORDS_NAMED])}
        )
    return capfirst(" · ".join(parts))


@dataclass
class Suggestion:
    """A counterpart suggested to a company, with why (``reason``, read in the active
    language when it is shown)."""

    counterpart: object
    found: Match = field(repr=False)

    @property
    def score(self) -> int:
        return self.found.score

    @property
    def reason(self) -> str:
        return reason(self.found)


def rank(
    application,
    counterparts: Iterable,
    *,
    requested: Iterable[int] = (),
    ignored: frozenset[str] = frozenset(),
    limit: int | None = SHOWN,
) -> list[Suggestion]:
    """The counterparts that fit ``application`` best, the best first, at most
    ``limit``: never one scoring 0 nor one whose id is in ``requested`` (the company
    already asked to meet it, whatever became of the request). Ties go by organisation
    then id, so the order is the same on every run. ``application`` comes with its
    company and the company's sectors, each counterpart with its sectors."""
    company = company_profile(application, ignored=ignored)
    requested = set(requested)
    found = []
    for counterpart in counterparts:
        if counterpart.pk in requested:
            continue
        profile = counterpart_profile(counterpart, ignored=ignored)
        result = match(company, profile)
        if result.score > 0:
            found.append((-result.score, profile.sort_key, Suggestion(counterpart, result)))
    found.sort(key=lambda row: row[:2])
    return [suggestion for *_key, suggestion in found[:limit]]


def fits_any(application, counterparts: Iterable, *, ignored=frozenset()) -> bool:
    """Whether any of ``counterparts`` scores above 0 for ``application``, requested or
    not."""
    company = company_profile(application, ignored=ignored)
    return any(
        match(company, counterpart_profile(counterpart, ignored=ignored)).score > 0
        for counterpart in counterparts
    )
