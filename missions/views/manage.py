"""Staff pages that change a mission: create, edit, transitions, programme, duplicate.

Staff only: anonymous visitors are asked to log in; to anyone else these pages do not
exist (a 404, not a 403 that would confirm the mission does). Every write goes through
``missions.services``.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from core.forms import add_service_errors
from missions.enums import MissionStatus
from missions.forms import MissionForm, ProgrammeItemForm
from missions.mixins import MissionPageMixin
from missions.models import Mission, ProgrammeItem
from missions.services import (
    MissionConflict,
    mission_create,
    mission_duplicate,
    mission_transition,
    mission_update,
    programme_item_delete,
    programme_item_save,
    transition_problems,
)


class ManageMissionMixin(MissionPageMixin):
    permission_required = "missions.manage_mission"


def _mission_initial(mission: Mission) -> dict:
    return {
        "title": mission.title,
        "country": mission.country.code,
        "cities": mission.cities,
        "timezone": mission.timezone,
        "start_date": mission.start_date,
        "end_date": mission.end_date,
        "sectors": list(mission.sectors.all()),
        "capacity": mission.capacity,
        "applications_open_at": mission.applications_open_at,
        "application_deadline": mission.application_deadline,
        "partners": mission.partners,
        "officials": list(mission.officials.all()),
        "budget_planned": mission.budget_planned,
        "budget_actual": mission.budget_actual,
        "summary": mission.summary,
        "description": mission.description,
        "objectives": mission.objectives,
        "version": mission.version,
    }


class MissionCreateView(ManageMissionMixin, View):
    template_name = "missions/form.html"

    def get(self, request):
        return self.show(MissionForm())

    def post(self, request):
        form = MissionForm(data=request.POST)
        if form.is_valid():
            try:
                mission = mission_create(by=request.user, **form.service_fields())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The mission is created, as a draft."))
                return redirect(mission)
        return self.show(form)

    def show(self, form):
        return render(self.request, self.template_name, {"form": form, "mission": None})


class MissionUpdateView(ManageMissionMixin, View):
    template_name = "missions/form.html"

    def get(self, request, slug):
        mission = self.get_mission()
        return self.show(MissionForm(initial=_mission_initial(mission), editing=True), mission)

    def post(self, request, slug):
        mission = self.get_mission()
        form = MissionForm(data=request.POST, editing=True)
        if form.is_valid():
            try:
                mission = mission_update(
                    mission=mission,
                    by=request.user,
                    expected_version=form.cleaned_data["version"],
                    **form.service_fields(),
                )
            except MissionConflict as conflict:
                return self.conflict(form, conflict)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The mission is saved."))
                return redirect(mission)
        return self.show(form, mission)

    def conflict(self, form, conflict):
        """Their input kept, the version they now have seen: saving again replaces
        the other change, knowingly; the fields that differ are named."""
        current = Mission.objects.prefetch_related("sectors", "officials").get(
            pk=self.get_mission().pk
        )
        data = self.request.POST.copy()
        data["version"] = str(current.version)
        form = MissionForm(data=data, editing=True)
        form.is_valid()
        saved = _mission_initial(current)
        differing = [
            form.fields[name].label
            for name, value in form.cleaned_data.items()
            if name != "version" and name in saved and _differs(value, saved[name])
        ]
        add_service_errors(form, conflict)
        return self.show(form, current, differing=differing)

    def show(self, form, mission, **extra):
        return render(
            self.request,
            self.template_name,
            {"form": form, "mission": mission, **extra},
        )


def _differs(mine, saved) -> bool:
    if isinstance(saved, list):
        return {getattr(x, "pk", x) for x in saved} != {getattr(x, "pk", x) for x in mine}
    return (mine or None) != (saved or None)


# Moves companies see and that cannot be undone: staff read what they do before.
ASKED_FIRST = (MissionStatus.OPEN, MissionStatus.CANCELLED)


class MissionTransitionView(ManageMissionMixin, View):
    """Move a mission to another status. Opening and cancelling are asked first (GET):
    what the move does, and what still stands in its way."""

    def get(self, request, slug):
        mission = self.get_mission()
        to_status = request.GET.get("to_status", "")
        if to_status not in ASKED_FIRST:
            return redirect(mission)
        return render(
            request,
            "missions/transition_confirm.html",
            {
                "mission": mission,
                "to_status": to_status,
                "to_label": MissionStatus(to_status).label,
                "problems": transition_problems(mission, to_status),
            },
        )

    def post(self, request, slug):
        mission = self.get_mission()
        to_status = request.POST.get("to_status", "")
        if to_status in ASKED_FIRST and request.POST.get("confirmed") != "yes":
            return redirect(
                f"{reverse('missions:transition', args=[mission.slug])}?to_status={to_status}"
            )
        try:
            mission = mission_transition(mission=mission, to_status=to_status, by=request.user)
        except ValidationError as refusal:
            for message in refusal.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("The mission is now “%(status)s”.")
                % {"status": MissionStatus(mission.status).label},
            )
        return redirect(mission)


class MissionDuplicateView(ManageMissionMixin, View):
    http_method_names = ["post"]

    def post(self, request, slug):
        mission = self.get_mission()
        try:
            copy = mission_duplicate(mission=mission, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(mission)
        messages.success(
            request,
            _("A new draft mission starts from “%(title)s”: check its dates and save it.")
            % {"title": copy.title},
        )
        return redirect("missions:edit", slug=copy.slug)


class ProgrammeItemMixin(ManageMissionMixin):
    template_name = "missions/programme_form.html"

    def get_item(self, mission) -> ProgrammeItem:
        return get_object_or_404(ProgrammeItem, mission=mission, pk=self.kwargs["pk"])

    def save(self, mission, item=None):
        form = ProgrammeItemForm(data=self.request.POST, mission=mission)
        if form.is_valid():
            try:
                programme_item_save(
                    mission=mission, by=self.request.user, item=item, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(self.request, _("The programme is saved."))
                return redirect(f"{mission.get_absolute_url()}#programme")
        return self.show(form, mission, item)

    def show(self, form, mission, item=None):
        return render(
            self.request,
            self.template_name,
            {"form": form, "mission": mission, "item": item},
        )


class ProgrammeItemCreateView(ProgrammeItemMixin, View):
    def get(self, request, slug):
        mission = self.get_mission()
        return self.show(ProgrammeItemForm(mission=mission), mission)

    def post(self, request, slug):
        return self.save(self.get_mission())


class ProgrammeItemUpdateView(ProgrammeItemMixin, View):
    def get(self, request, slug, pk):
        mission = self.get_mission()
        item = self.get_item(mission)
        form = ProgrammeItemForm(initial=ProgrammeItemForm.initial_of(item), mission=mission)
        return self.show(form, mission, item)

    def post(self, request, slug, pk):
        mission = self.get_mission()
        return self.save(mission, self.get_item(mission))


class ProgrammeItemDeleteView(ProgrammeItemMixin, View):
    template_name = "missions/programme_confirm_delete.html"

    def get(self, request, slug, pk):
        mission = self.get_mission()
        item = self.get_item(mission)
        return render(request, self.template_name, {"mission": mission, "item": item})

    def post(self, request, slug, pk):
        mission = self.get_mission()
        item = self.get_item(mission)
        programme_item_delete(item=item, by=request.user)
        messages.success(
            request, _("“%(title)s” is removed from the programme.") % {"title": item.title}
        )
        return redirect(f"{mission.get_absolute_url()}#programme")
