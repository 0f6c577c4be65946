"""A plan's name in a sentence: "о ходе реализации <plan>" reads as Russian whatever the title."""

import pytest
from django.utils import translation

from activities.models import plan_in_genitive


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        # The act's title names the plan in the genitive already.
        (
            "Об утверждении Стратегического плана устойчивого развития города Хабаровска "
            "до 2020 года",
            "Стратегического плана устойчивого развития города Хабаровска до 2020 года",
        ),
        # Any other title is quoted after "стратегического плана".
        ("План развития", "стратегического плана «План развития»"),
        ("Об утверждении ", "стратегического плана «Об утверждении »"),
    ],
)
def test_a_plan_follows_of_in_the_genitive(title, expected):
    with translation.override("ru"):
        assert plan_in_genitive(title) == expected
