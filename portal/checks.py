"""System checks about the project as a whole."""

from django.core import checks
from django.core.files.storage import storages


@checks.register(checks.Tags.staticfiles, deploy=True)
def static_files_collected(app_configs, **kwargs):
    """The portal serves without collectstatic (portal/storage.py), less well: a deployment
    should not rely on it."""
    storage = storages["staticfiles"]
    if not getattr(storage, "manifest_missing", False):
        return []
    return [
        checks.Warning(
            "The static files are not collected: no manifest at "
            f"{storage.path(storage.manifest_name)}.",
            hint="Run python manage.py collectstatic (the Procfile's release step does); "
            "until then the files are served unhashed and uncompressed.",
            id="portal.W001",
        )
    ]
