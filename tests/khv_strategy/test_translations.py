"""The Russian catalogues are complete: every UI string a city official may see is translated."""

import re
import subprocess
from pathlib import Path

import pytest
from django.utils import translation

from activities.plan_text import PlanTextError, parse_plan_text

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(
    path
    for path in ROOT.glob("*/locale/ru/LC_MESSAGES/django.po")
    if ".venv" not in path.parts and "node_modules" not in path.parts
) + [ROOT / "locale/ru/LC_MESSAGES/django.po"]


def entries(text):
    """(msgid, [msgstr, …]) of each entry, joining strings continued over several lines."""
    for block in text.split("\n\n")[1:]:
        fields = {}
        current = None
        for line in block.splitlines():
            keyword = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) "(.*)"$', line)
            if keyword:
                current = keyword.group(1)
                fields[current] = keyword.group(2)
            elif line.startswith('"') and current:
                fields[current] += line[1:-1]
        if fields.get("msgid"):
            yield fields["msgid"], [v for k, v in fields.items() if k.startswith("msgstr")]


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_entry_is_translated_and_none_is_fuzzy(catalogue):
    text = catalogue.read_text(encoding="utf-8")

    assert "#, fuzzy" not in text.split("\n\n", 1)[1]
    found = list(entries(text))
    untranslated = [msgid for msgid, msgstrs in found if not msgstrs or not all(msgstrs)]
    assert found and untranslated == []


def test_there_are_catalogues_for_every_app():
    apps = {path.parts[-5] for path in CATALOGUES}

    assert {"accounts", "activities", "partners", "indicators", "dashboards"} <= apps


def test_importer_refusals_read_in_russian():
    with translation.override("ru"), pytest.raises(PlanTextError) as error:
        parse_plan_text("Письмо без разделов", source_name="письмо.txt")

    assert str(error.value).startswith("письмо.txt: не найден ни один раздел")


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_translation_keeps_the_placeholders_of_its_original(catalogue):
    """msgfmt refuses a Russian string that drops or renames a %(name)s of the English one."""
    result = subprocess.run(
        ["msgfmt", "--check-format", "-o", "/dev/null", str(catalogue)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
