"""Where `{% static %}` points, before and after collectstatic."""

import logging

from whitenoise.storage import CompressedManifestStaticFilesStorage

logger = logging.getLogger(__name__)


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's hashed and compressed files, and a portal that serves before any
    collectstatic.

    Without a manifest (collectstatic never ran: a fresh clone started with DEBUG false),
    every `{% static %}` would raise "Missing staticfiles manifest entry" and every page
    answer 500. Instead names stay as they are and WhiteNoise serves the files from their
    source folders (WHITENOISE_USE_FINDERS), as with DEBUG; the log says so once. Once
    collectstatic has written the manifest, a name missing from it is an error as usual.
    """

    manifest_missing = False
    _missing_told = False

    def read_manifest(self):
        content = super().read_manifest()
        self.manifest_missing = content is None
        return content

    def stored_name(self, name):
        if not self.manifest_missing:
            return super().stored_name(name)
        if not self._missing_told:
            self._missing_told = True
            logger.warning(
                "No static files manifest at %s: the files are served unhashed from their "
                "source folders; run python manage.py collectstatic",
                self.path(self.manifest_name),
            )
        return name
