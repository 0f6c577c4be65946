"""The production settings with STATIC_ROOT taken from the environment: the error pages' test
collects the static files into a temporary folder, as a release build does."""

import os

from khv_strategy.settings.production import *  # noqa: F403

STATIC_ROOT = os.environ["KHV_TEST_STATIC_ROOT"]
