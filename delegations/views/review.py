"""Staff review a mission's applications: list, score and notes, decisions, the
announcement of the decisions, seats released."""

from django.http import Http404
from django.views import View


class ReviewListView(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


ReviewApplicationView = AssessView = DecideView = ReleaseView = AnnounceView = ReviewListView
