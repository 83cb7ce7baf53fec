"""``ValuesChoiceField`` against the ``ModelChoiceField`` it stands for: the same
``<select>``, the same answer to what is posted, on names as people type them."""

import pytest
from django import forms
from django.db.models.functions import Lower
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.forms import ValuesChoiceField
from core.tests.rows import typed
from delegations.models import Application
from delegations.tests.factories import ApplicationFactory
from meetings.models import Counterpart
from meetings.tests.factories import CounterpartFactory
from missions.tests.factories import OpenMissionFactory


def _forms(queryset, label_field, label_from_instance, data):
    class Before(forms.Form):
        choice = forms.ModelChoiceField(queryset)

    class After(forms.Form):
        choice = ValuesChoiceField(queryset, label_field=label_field)

    before = Before(data)
    before.fields["choice"].label_from_instance = label_from_instance
    return before, After(data)


@pytest.mark.django_db
@given(
    names=st.lists(typed(max_size=40).filter(str.strip), max_size=5),
    posted=st.one_of(st.integers(0, 6), st.sampled_from(["", "x", "-1", "99999999"])),
    language=st.sampled_from(["fr", "en"]),
)
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_the_select_and_the_cleaning_are_those_of_model_choice_field(names, posted, language):
    mission = OpenMissionFactory()
    made = [CounterpartFactory(mission=mission, organisation=name) for name in names]
    queryset = Counterpart.objects.filter(mission=mission).order_by(Lower("organisation"), "pk")
    if isinstance(posted, int):
        posted = str(made[posted].pk) if posted < len(made) else str(posted)
    unbound = _forms(queryset, "organisation", str, None)
    before, after = _forms(queryset, "organisation", str, {"choice": posted})

    with translation.override(language):
        assert str(unbound[1]["choice"]) == str(unbound[0]["choice"])
        assert str(after["choice"]) == str(before["choice"])
        assert after.errors == before.errors
    assert after.cleaned_data == before.cleaned_data


@pytest.mark.django_db
def test_a_label_through_a_relation_reads_the_related_column():
    mission = OpenMissionFactory()
    chosen = ApplicationFactory(mission=mission, company__name="<Transpare> & fils")
    ApplicationFactory(mission=mission, company__name="Adikteev")
    queryset = Application.objects.filter(mission=mission).order_by("company__name")

    before, after = _forms(
        queryset, "company__name", lambda application: application.company.name, None
    )
    assert str(after["choice"]) == str(before["choice"])
    assert "&lt;Transpare&gt; &amp; fils" in str(after["choice"])

    before, after = _forms(
        queryset, "company__name", lambda a: a.company.name, {"choice": str(chosen.pk)}
    )
    assert after.is_valid()
    assert after.cleaned_data["choice"] == chosen
