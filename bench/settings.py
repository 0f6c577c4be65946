"""Production settings plus the two baseline views of the bench (bench/baseline_urls.py).

Everything else is production as deployed: DEBUG off, manifest static files, JSON request log.
BENCH_STATIC_ROOT names the directory bench/run.py collected the static files into.
"""

import os

from khv_strategy.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.baseline_urls"
STATIC_ROOT = os.environ.get("BENCH_STATIC_ROOT", STATIC_ROOT)  # noqa: F405
# The public portal is part of what is measured (anonymous pages).
PUBLIC_PORTAL = True
