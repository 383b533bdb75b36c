"""Settings: one module, every value with a default, overridable from the environment.

``QYZMET_ENV=production`` switches the secure defaults on (HTTPS-only cookies, HSTS,
no DEBUG, a required SECRET_KEY); the default ``demo`` is what ``make run`` uses.
"""

from .base import *  # noqa: F401,F403
