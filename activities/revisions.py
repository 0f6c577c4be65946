"""How an amended plan text is compared with the plan: which measure of the new text is which
measure of the plan (identity across a rewording), and a word-level diff of a rewording.

Pure functions of texts; the importer (services.plan_import) writes what they decide.
"""

import difflib
import re
from dataclasses import dataclass

# Below this share of common words two texts are different measures, not one reworded.
SAME_NUMBER_SIMILARITY = 0.3  # same group and number: a light check against renumbering
SIMILAR_TEXT = 0.5  # a different number: the texts must be mostly the same


def words(text):
    return re.findall(r"\S+", text)


def similarity(old, new):
    """Share of the words the two texts have in common, in order (0..1)."""
    return difflib.SequenceMatcher(a=words(old), b=words(new), autojunk=False).ratio()


def word_diff(old, new):
    """[(op, text)] with op "same", "removed" or "added": the rewording word by word."""
    old_words, new_words = words(old), words(new)
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    parts = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(("same", " ".join(old_words[i1:i2])))
            continue
        if i2 > i1:
            parts.append(("removed", " ".join(old_words[i1:i2])))
        if j2 > j1:
            parts.append(("added", " ".join(new_words[j1:j2])))
    return parts


@dataclass(frozen=True)
class Match:
    key: tuple  # (group, number) in the new text
    measure_id: int | None  # the plan's measure it is; None: a new measure
    how: str  # "text", "number", "similar", "chosen" (by the user) or "new"


def match_measures(existing, parsed, chosen=None):
    """Pair the new text's measures of one section with the plan's.

    `existing`: [(id, group, number, text)] of the measures in force; `parsed`:
    [(group, number, text)]; `chosen`: {(group, number): id or None} the user fixed in the
    preview, applied first. Then, among what is left: the same text (a measure moved to
    another number), the same group and number with a text at least a little alike
    (a rewording), and finally the most similar text (reworded and renumbered). Returns
    {(group, number): Match}; the existing ids not matched are the measures dropped.
    """
    chosen = chosen or {}
    free = {row[0]: row for row in existing}
    matches = {}

    def take(key, measure_id, how):
        matches[key] = Match(key, measure_id, how)
        free.pop(measure_id, None)

    for group, number, _text in parsed:
        key = (group, number)
        if key in chosen and (chosen[key] is None or chosen[key] in free):
            take(key, chosen[key], "chosen" if chosen[key] else "new")
    rest = [item for item in parsed if (item[0], item[1]) not in matches]
    for group, number, text in rest:
        same = next((row for row in free.values() if row[3] == text), None)
        if same:
            take((group, number), same[0], "text")
    rest = [item for item in rest if (item[0], item[1]) not in matches]
    for group, number, text in rest:
        row = next((r for r in free.values() if (r[1], r[2]) == (group, number)), None)
        if row and similarity(row[3], text) >= SAME_NUMBER_SIMILARITY:
            take((group, number), row[0], "number")
    rest = [item for item in rest if (item[0], item[1]) not in matches]
    candidates = sorted(
        (
            (similarity(row[3], text), -row[0], (group, number), row[0])
            for group, number, text in rest
            for row in free.values()
        ),
        reverse=True,
    )
    for score, _order, key, measure_id in candidates:
        if score < SIMILAR_TEXT:
            break
        if key not in matches and measure_id in free:
            take(key, measure_id, "similar")
    for group, number, _text in rest:
        if (group, number) not in matches:
            matches[(group, number)] = Match((group, number), None, "new")
    return matches
