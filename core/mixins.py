"""Permission mixins of the portal's views: a page that is not yours does not exist."""

from django.contrib.auth.views import redirect_to_login
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


class PermittedObjectMixin:
    """A page about one object, for those ``permission`` lets see *that* object.

    Anonymous visitors are asked to log in; to anyone else without the permission the
    object does not exist (a 404, never a 403), and neither does an unknown one: the two
    look the same. ``get_permitted_object()`` fetches it from the URL (``None`` if there
    is none); the view then finds it as ``self.<permitted_name>`` and ``permitted()``
    may load what goes with it.
    """

    permission = ""
    permitted_name = "object"

    def get_permitted_object(self):
        raise NotImplementedError

    def permitted(self, obj) -> None:
        """After the check, before the handler: what the view needs beside the object."""

    def dispatch(self, request, *args, **kwargs):
        if request.method.lower() not in self.http_method_names:
            return self.http_method_not_allowed(request, *args, **kwargs)
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        obj = self.get_permitted_object()
        if obj is None or not request.user.has_perm(self.permission, obj):
            raise Http404
        setattr(self, self.permitted_name, obj)
        self.permitted(obj)
        return super().dispatch(request, *args, **kwargs)
