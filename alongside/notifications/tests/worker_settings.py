"""Settings for a real worker process started by a test: its own huey file."""

import os

from config.settings import *  # noqa: F403
from config.settings import HUEY

HUEY = {**HUEY, "huey_class": "huey.SqliteHuey", "filename": os.environ["HUEY_FILE"]}
