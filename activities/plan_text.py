"""Reading the text of a strategic plan into plain data; the importer saves what this returns.

The text is read line by line: a preamble with the act's status and title, then sections such as
"6.4.2. Концепция проекта …", each with its vision and the blocks Цель, Задачи, Мероприятия and
Ожидаемые результаты in that order. Anything that does not fit is refused with the line and what
was expected there, so an administrator can fix the file rather than read a traceback.
"""

import codecs
import datetime
import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True, slots=True)
class ParsedItem:
    number: int
    text: str
    line: int
    group: int = 1


@dataclass(frozen=True, slots=True)
class ParsedSection:
    number: str
    kind: str
    title: str
    vision: str
    goals: tuple[str, ...]
    tasks: tuple[ParsedItem, ...]
    measures: tuple[ParsedItem, ...]
    expected_results: tuple[str, ...]
    line: int


@dataclass(frozen=True, slots=True)
class ParsedPlan:
    status: str
    repealed_on: datetime.date | None
    title: str
    horizon_year: int | None
    sections: tuple[ParsedSection, ...]


class PlanTextError(ValueError):
    def __init__(self, message: str, *, line: int | None = None, source_name: str = ""):
        self.message = message
        self.line = line
        self.source_name = source_name
        super().__init__(self._sentence())

    def _sentence(self) -> str:
        where = {"source": self.source_name, "line": self.line, "message": self.message}
        if self.source_name and self.line is not None:
            return _("%(source)s, line %(line)s: %(message)s") % where
        if self.line is not None:
            return _("line %(line)s: %(message)s") % where
        if self.source_name:
            return _("%(source)s: %(message)s") % where
        return self.message[:1].upper() + self.message[1:]


# The blocks of a section in the order the plan states them, the heading words accepted for each
# (compared case-insensitively, with "ё" read as "е") and the name used in messages.
BLOCKS = ("goals", "tasks", "measures", "expected_results")
HEADINGS = {
    "goals": ("цель", "цели", "цель проекта", "цели проекта"),
    "tasks": ("задачи", "задачи проекта", "основные задачи"),
    "measures": ("мероприятия", "основные мероприятия", "мероприятия проекта"),
    "expected_results": ("ожидаемые результаты", "ожидаемые результаты реализации проекта"),
}
HEADING_LABELS = {
    "goals": pgettext_lazy("plan text heading", "Goal"),
    "tasks": pgettext_lazy("plan text heading", "Tasks"),
    "measures": pgettext_lazy("plan text heading", "Measures"),
    "expected_results": pgettext_lazy("plan text heading", "Expected results"),
}
HEADING_BLOCKS = {words: block for block, accepted in HEADINGS.items() for words in accepted}
NUMBERED_BLOCKS = ("tasks", "measures")
SECTION_KINDS = ("Концепция проекта",)
STATUSES = {"недействующий": "repealed", "действующий": "in_force"}
MONTHS = (
    *("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября"),
    *("октября", "ноября", "декабря"),
)

LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")
# At least two number components, so that a measure "1." is never taken for a section.
SECTION_RE = re.compile(r"(\d+(?:\.\d+)+)(?:\.\s*|\s+)(\S.*)")
ITEM_RE = re.compile(r"(\d+)[.)](?!\d)\s*(.*)")
# The largest number a task or measure keeps (Measure.number is a PositiveSmallIntegerField).
MAX_ITEM_NUMBER = 32767
# "\uf0b7" is the Symbol-font bullet that Word leaves in its plain-text exports.
BULLET_RE = re.compile(r"[-–—•·▪●◦\uf0b7]\s*(\S.*)")
REPEAL_RE = re.compile(r"\(\s*утратил[аои]?\s+силу\s+с\s+([^)]*?)\s*\)", re.IGNORECASE)
DATE_IN_WORDS_RE = re.compile(r"(\d{1,2})\s+(\w+)\s+(\d{4})")
DATE_IN_DIGITS_RE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
HORIZON_RE = re.compile(r"\bдо\s+(\d{4})\s*(?:года|г\.?)", re.IGNORECASE)
# Characters that carry no text but come with Word exports and web copies.
INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u00ad"))
TEXT_CONTROLS = "\t\n\r\x0b\x0c"


def parse_plan_text(data: bytes | str, *, source_name: str = "") -> ParsedPlan:
    try:
        return _parse(data)
    except PlanTextError as error:
        raise PlanTextError(error.message, line=error.line, source_name=source_name) from None


def _parse(data: bytes | str) -> ParsedPlan:
    lines = [
        (number, _clean(raw))
        for number, raw in enumerate(LINE_BREAK_RE.split(decode_plan_text(data)), start=1)
    ]
    starts = [index for index, (_line, text) in enumerate(lines) if _section_heading(text)]
    if not starts:
        raise PlanTextError(
            _("no section like “6.4.2. …” found; a section starts with its number and title.")
        )
    status, repealed_on, title = _read_preamble(lines[: starts[0]])
    horizon = HORIZON_RE.search(title)
    sections, first_lines = [], {}
    for start, end in zip(starts, [*starts[1:], len(lines)], strict=True):
        line, heading = lines[start]
        number, section_title = _section_heading(heading)
        if number in first_lines:
            raise PlanTextError(
                _("section %(number)s appears twice; it first appears on line %(first)s.")
                % {"number": number, "first": first_lines[number]},
                line=line,
            )
        first_lines[number] = line
        sections.append(_read_section(number, section_title, line, lines[start + 1 : end]))
    return ParsedPlan(
        status=status,
        repealed_on=repealed_on,
        title=title,
        horizon_year=int(horizon[1]) if horizon else None,
        sections=tuple(sections),
    )


def decode_plan_text(data: bytes | str) -> str:
    """The text of an uploaded plan, or PlanTextError when it is empty or not text at all."""
    text = data.removeprefix("\ufeff") if isinstance(data, str) else _decode_bytes(data)
    if text is None or _looks_binary(text):
        raise PlanTextError(
            _(
                "the file is not plain text (it looks like a Word document, an image or an "
                "archive); expected the plan as text in UTF-8 or Windows-1251."
            )
        )
    if not text.translate(INVISIBLE).strip():
        raise PlanTextError(_("the file is empty; expected the text of a strategic plan."))
    return text


def _decode_bytes(data: bytes) -> str | None:
    # cp1251 (Russian Word exports) decodes almost any bytes, so it can only be the fallback.
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    for encoding in ("utf-16",) if utf16 else ("utf-8-sig", "cp1251"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _looks_binary(text: str) -> bool:
    # A stray control character or a DOS end-of-file mark is tolerated; a NUL or many are not.
    controls = sum(
        1 for char in text if char not in TEXT_CONTROLS and unicodedata.category(char) == "Cc"
    )
    return "\x00" in text or controls * 20 > len(text)


def _clean(line: str) -> str:
    return " ".join(line.translate(INVISIBLE).split())


def _section_heading(text: str) -> tuple[str, str] | None:
    match = SECTION_RE.fullmatch(text)
    # A title starts with a capital; "1.5 млн рублей" in a measure's text is not a section.
    if match and match[2][0].isupper():
        return match[1], match[2]
    return None


def _read_preamble(lines: list[tuple[int, str]]) -> tuple[str, datetime.date | None, str]:
    status, repealed_on, title_lines, title_done = "", None, [], False
    for line, text in lines:
        if (key := text.casefold().rstrip(".")) in STATUSES:
            status = status or STATUSES[key]
            continue
        note = REPEAL_RE.search(text)
        if note and repealed_on is None:
            repealed_on = _repeal_date(note[1], line)
        # The title is the first paragraph; whatever follows it is commentary.
        if text and not title_done:
            title_lines.append(text)
        elif title_lines:
            title_done = True
    title = REPEAL_RE.sub("", " ".join(title_lines))
    return status, repealed_on, " ".join(title.split())


def _repeal_date(text: str, line: int) -> datetime.date:
    in_words = DATE_IN_WORDS_RE.search(text)
    in_digits = DATE_IN_DIGITS_RE.search(text)
    try:
        if in_words and in_words[2].casefold() in MONTHS:
            month = MONTHS.index(in_words[2].casefold()) + 1
            return datetime.date(int(in_words[3]), month, int(in_words[1]))
        if in_digits:
            return datetime.date(int(in_digits[3]), int(in_digits[2]), int(in_digits[1]))
    except ValueError:
        pass
    raise PlanTextError(_("“%(date)s” is not a valid repeal date.") % {"date": text}, line=line)


def _match_heading(text: str) -> tuple[str, str] | None:
    """The block a heading line opens and any text after its colon ("Цель: …")."""
    head, _colon, rest = text.partition(":")
    block = HEADING_BLOCKS.get(" ".join(head.casefold().replace("ё", "е").rstrip(" .").split()))
    return (block, rest.strip()) if block else None


def _read_section(number: str, title: str, line: int, body: list[tuple[int, str]]) -> ParsedSection:
    section, index = _SectionDraft(number, title, line), 0
    while index < len(body):
        line, text = body[index]
        index += 1
        if not text:
            section.after_blank = True
            continue
        following = next((later for later in range(index, len(body)) if body[later][1]), None)
        # A heading broken over two lines ("Ожидаемые" / "результаты") is read as one; a line
        # with a colon already ended its heading ("Цель: …").
        joined = (
            following is not None
            and ":" not in text
            and _match_heading(f"{text} {body[following][1]}")
        )
        match = joined or _match_heading(text)
        if not match:
            section.text(text, line)
            continue
        section.heading(match[0], line)
        if joined:
            line, index = body[following][0], following + 1
        if match[1]:
            section.text(match[1], line)
    return section.finish()


@dataclass(slots=True)
class _Entry:
    line: int
    marked: bool
    number: int | None = None
    group: int = 1
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(part for part in self.parts if part)


@dataclass(slots=True)
class _SectionDraft:
    number: str
    title: str
    line: int
    block: str | None = None  # None while the vision is being read
    block_line: int = 0
    last_line: int = 0
    after_blank: bool = True
    vision: list[list[str]] = field(default_factory=list)
    entries: dict[str, list[_Entry]] = field(default_factory=lambda: {b: [] for b in BLOCKS})

    def heading(self, block: str, line: int) -> None:
        current, wanted = self._position(), BLOCKS.index(block)
        if wanted <= current:
            raise self._error(
                _("the heading “%(heading)s” is repeated in section %(number)s."),
                line,
                heading=_label(block),
            )
        if wanted > current + 1:
            raise self._error(
                _("expected the heading “%(expected)s” in section %(number)s, found “%(found)s”."),
                line,
                expected=_label(BLOCKS[current + 1]),
                found=_label(block),
            )
        self._close_block()
        self.block, self.block_line, self.last_line, self.after_blank = block, line, line, True

    def text(self, text: str, line: int) -> None:
        if self.block is None:
            if self.after_blank or not self.vision:
                self.vision.append([])
            self.vision[-1].append(text)
        elif self.block in NUMBERED_BLOCKS:
            self._numbered_line(text, line)
        else:
            self._listed_line(text, line)
        self.last_line, self.after_blank = line, False

    def _numbered_line(self, text: str, line: int) -> None:
        entries, item = self.entries[self.block], ITEM_RE.fullmatch(text)
        if not item:
            if not entries:
                raise self._numbering_error(1, text, line)
            # An item's text goes on until the next number, including its own bullet lists.
            entries[-1].parts.append(text)
            return
        number = int(item[1])
        if number > MAX_ITEM_NUMBER:
            raise self._error(
                _(
                    "item number %(item)s under the heading “%(heading)s” of section %(number)s "
                    "is too large; items are numbered up to %(max)s."
                ),
                line,
                item=number,
                max=MAX_ITEM_NUMBER,
            )
        expected = entries[-1].number + 1 if entries else 1
        # Measures are numbered anew in each group; tasks are numbered once.
        restarts = self.block == "measures" and bool(entries) and number == 1
        if number != expected and not restarts:
            raise self._numbering_error(expected, text, line)
        group = entries[-1].group + restarts if entries else 1
        entries.append(_Entry(line, marked=True, number=number, group=group, parts=[item[2]]))

    def _listed_line(self, text: str, line: int) -> None:
        entries = self.entries[self.block]
        item, bullet = ITEM_RE.fullmatch(text), BULLET_RE.fullmatch(text)
        if item:
            entries.append(_Entry(line, marked=True, number=int(item[1]), parts=[item[2]]))
        elif bullet:
            entries.append(_Entry(line, marked=True, parts=[bullet[1]]))
        elif entries and (entries[-1].marked or not self.after_blank):
            entries[-1].parts.append(text)
        else:
            # Without bullets, each paragraph is one goal or one result.
            entries.append(_Entry(line, marked=False, parts=[text]))

    def finish(self) -> ParsedSection:
        self._close_block()
        if self._position() < len(BLOCKS) - 1:
            raise self._error(
                _("section %(number)s ends here, but the heading “%(expected)s” was expected."),
                self.last_line or self.line,
                expected=_label(BLOCKS[self._position() + 1]),
            )
        kind, title = _split_kind(self.title)
        texts = {block: tuple(entry.text for entry in self.entries[block]) for block in BLOCKS}
        items = {
            block: tuple(ParsedItem(e.number, e.text, e.line, e.group) for e in self.entries[block])
            for block in NUMBERED_BLOCKS
        }
        return ParsedSection(
            number=self.number,
            kind=kind,
            title=title,
            vision="\n\n".join(" ".join(paragraph) for paragraph in self.vision),
            goals=texts["goals"],
            tasks=items["tasks"],
            measures=items["measures"],
            expected_results=texts["expected_results"],
            line=self.line,
        )

    def _close_block(self) -> None:
        if self.block is None:
            return
        entries = self.entries[self.block]
        if not entries:
            raise self._error(
                _(
                    "nothing under the heading “%(heading)s” of section %(number)s; "
                    "expected at least one item."
                ),
                self.block_line,
            )
        for entry in entries:
            if not entry.text:
                raise self._error(
                    _(
                        "item %(item)s under the heading “%(heading)s” of section %(number)s "
                        "has no text."
                    ),
                    entry.line,
                    item=entry.number,
                )

    def _position(self) -> int:
        return -1 if self.block is None else BLOCKS.index(self.block)

    def _numbering_error(self, expected: int, text: str, line: int) -> PlanTextError:
        found = text if len(text) <= 40 else text[:40] + "…"
        return self._error(
            _(
                "expected item number %(expected)s under the heading “%(heading)s” "
                "of section %(number)s, found “%(found)s”."
            ),
            line,
            expected=expected,
            found=found,
        )

    def _error(self, message: str, line: int, **values) -> PlanTextError:
        heading = _label(self.block) if self.block else ""
        values = {"number": self.number, "heading": heading, **values}
        return PlanTextError(message % values, line=line)


def _label(block: str) -> str:
    return str(HEADING_LABELS[block])


def _split_kind(title: str) -> tuple[str, str]:
    for kind in SECTION_KINDS:
        if title.casefold().startswith(kind.casefold()):
            rest = title[len(kind) :].strip(" :.—–-")
            if len(rest) > 1 and rest[0] in '«"“' and rest[-1] in '»"”':
                rest = rest[1:-1].strip()
            return kind, rest
    return "", title
