"""The `qyzmet` console script: Django's manage.py for this project.

Command names with a hyphen (``qyzmet registry-simulator``) map onto the Django
management command with an underscore, since Python modules cannot carry hyphens.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and "-" in argv[1] and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qyzmet.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
