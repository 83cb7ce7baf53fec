from django.http import Http404
from rules.contrib.views import PermissionRequiredMixin


class HiddenUnlessPermittedMixin(PermissionRequiredMixin):
    """A page for those with ``permission_required``. Anonymous visitors are asked to
    log in; to anyone else the page does not exist (a 404, not a 403 that would
    confirm it does).

    The permission is checked before any object is fetched: an unknown slug and a
    hidden object look the same to whoever may not see it.
    """

    def get_permission_object(self):
        return None

    def handle_no_permission(self):
        if self.request.user.is_authenticated:
            raise Http404
        return super().handle_no_permission()
