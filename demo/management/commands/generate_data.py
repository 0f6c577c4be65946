"""manage.py generate_data --scale N [--seed S] [--fraction F]: benchmark data, see datagen."""

import time

from django.core.management.base import BaseCommand, CommandError

from demo import datagen


class Command(BaseCommand):
    help = (
        "Generate N whole strategic plans (scale 1 = one large city's plan with its partners, "
        "indicators and users), deterministically from --seed. Plans already generated for the "
        "seed are skipped, so a rerun changes nothing and a larger scale adds the missing plans. "
        "Writes to the database of DATABASE_URL."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, required=True, help="number of plans (≥ 1)")
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        parser.add_argument(
            "--fraction",
            type=float,
            default=1.0,
            help="shrink every per-plan count by this factor, e.g. 0.05 for tests (default 1)",
        )

    def handle(self, *args, scale, seed, fraction, **options):
        if scale < 1:
            raise CommandError("--scale must be at least 1.")
        if not 0 < fraction <= 1:
            raise CommandError("--fraction must be in (0, 1].")
        if seed < 0:
            raise CommandError("--seed must not be negative.")
        started = time.perf_counter()
        created = datagen.generate(
            scale=scale,
            seed=seed,
            fraction=fraction,
            log=lambda line: self.stdout.write(line) if options["verbosity"] else None,
        )
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(created)} plan(s) generated, {scale - len(created)} already there "
                f"({elapsed:.1f} s)."
            )
        )
