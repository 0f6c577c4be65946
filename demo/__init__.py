"""Demo and generated data: the only app that writes sample rows.

``manage.py load_demo`` loads the small, illustrative data set a newcomer sees after
``make run`` (plan.py, partners.py, indicators.py, users.py, in that order);
``manage.py ensure_demo_admin`` creates the demo administrator; ``manage.py generate_data``
fills the database with large deterministic plans for benchmarks (datagen.py).

It sits above the feature apps and imports them; no feature app imports it.
"""
