"""Closed answers given as choices: multi-select cells, ticked option columns, typed-in 'other' answers."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence

from assistant.profiling.lexicon import ColumnLexicon
from assistant.profiling.models import ColumnProfile
from assistant.profiling.values import ColumnValues, make_profile

ASIDE = re.compile(r"\s*\([^()]*\)\s*:?\s*$|\s*:\s*$")  # "(please specify):", ":"
MIN_OPTION_CHARS = 1  # an option label the header ends with is at least this long ("R.")
BRACKETED_OPTION = re.compile(r"\s\[([^\[\]]+)\]\s*$")
OPTION_SEPARATORS = (":", " - ", "? ")  # how exports join a question and one of its options in a header
MIN_WRITE_INS = 3  # an 'other' option column with this many different answers holds what people typed
WRITE_IN_UNIQUE = 0.5  # typed-in answers are mostly different from one another...
WRITE_IN_REST_UNIQUE = 0.8  # ...or when, besides one common answer, nearly every answer is different
MAX_PIECE_WORDS = 12  # a multi-select option is a label, not a sentence
MIN_OPTIONS_A_CELL = 1.2  # a multi-select column averages more than one answer a cell...
STANDALONE_SHARE = 0.8  # options that are mostly also answered alone form a vocabulary
MIN_TOP_COVERAGE = 0.6  # ...and a dozen options make most of its answers (free text does not)
MIN_GLUE = 3  # pieces seen side by side at least this often...
GLUE_SHARE = 0.95  # ...and almost never apart are one option label


# How assistant.ingest.tabular.name_columns tells repeated headers apart ("CMake", "CMake_63").
RENAMED_DUPLICATE = re.compile(r"_\d+$")


def chosen(column: ColumnValues, lexicon: ColumnLexicon) -> bool:
    """One value or blank, where the value is a yes word or the option the header names ("Q: 1.16")."""
    value = column.cells[0].strip().lower()
    name = RENAMED_DUPLICATE.sub("", column.name)  # "CMake_63": the second "CMake" header, renamed
    option = option_part(name)
    if value in lexicon.yes_for_no.values() or value == (option or "").lower():
        return True
    if option and value == _without_aside(option).lower():
        return True  # "Other" under "…: Other (please specify):": the box; the typed words come next
    if value == name.strip().lower():
        return True  # "CMake" under a second "CMake" header
    # "3. Python." holding "Python.": the header is the question's number and the option itself.
    label, header = _bare(value), _bare(column.name.lower())
    return len(label) >= MIN_OPTION_CHARS and header.endswith(label)


def _without_aside(option: str) -> str:
    """An option label without its bracketed aside and closing colon: "Other (please specify):" -> "Other"."""
    return ASIDE.sub("", option).strip()


def _bare(text: str) -> str:
    """Text without its closing full stop and with plain spaces (exports mix in no-break spaces)."""
    return " ".join(text.replace("\xa0", " ").split()).rstrip(". ")


def option_part(name: str) -> str | None:
    """The option a select-all column stands for: "Q: Option", "Q - Option" (SurveyMonkey), "Q [Option]"."""
    if (bracketed := BRACKETED_OPTION.search(name)) is not None:
        return bracketed.group(1).strip() or None  # LimeSurvey: "fund3[10]. Which sources…? [Industry]"
    name = name.rstrip().rstrip(":")  # "Q: Other (please specify):" ends its option with a colon
    for separator in OPTION_SEPARATORS:
        if separator in name:
            return name.rsplit(separator, 1)[-1].strip() or None
    return None


def typed_in(column: ColumnValues) -> bool:
    """Mostly different answers, leaving aside the one most people gave ("No" before what others typed)."""
    if column.distinct < 2:
        return False
    if column.unique_ratio >= WRITE_IN_UNIQUE:
        return True
    _top, count = Counter(column.cells).most_common(1)[0]
    rest = len(column.cells) - count
    return rest >= MIN_WRITE_INS and (column.distinct - 1) / rest >= WRITE_IN_REST_UNIQUE


def multi_select(column: ColumnValues, lexicon: ColumnLexicon) -> ColumnProfile | None:
    """Several answers a cell, with the separator they use, or None."""
    cells = column.cells
    cued = lexicon.cue("multi_select", column.header)
    separators = lexicon.separators
    if cued:  # the header says several answers: take the separator most cells use
        separators = tuple(sorted(separators, key=lambda sep: -sum(sep in c for c in cells)))
    alone = set(cells)
    for separator in separators:
        joined = [c for c in cells if separator in c]
        if len(joined) < (1 if cued else 3):
            continue
        options = split_options(cells, separator)
        pieces: Counter[str] = Counter()
        for cell_options in options:
            pieces.update(set(cell_options))
        if not pieces:
            continue
        # Options that are also chosen alone make a small vocabulary combined in some cells
        # ("EXTERN", "EXTERN,INTERN"): several answers, even when few cells combine them.
        standalone = sum(n for p, n in pieces.items() if p in alone) / sum(pieces.values())
        vocabulary = standalone >= STANDALONE_SHARE and column.distinct > len(pieces)
        if len(joined) < 0.15 * len(cells) and not (cued or vocabulary):
            continue
        mean_words = sum(len(p.split()) * n for p, n in pieces.items()) / sum(pieces.values())
        top = sum(n for _, n in pieces.most_common(12)) / sum(pieces.values())
        per_cell = sum(len(o) for o in options) / len(options)
        if not (cued or vocabulary) and (per_cell < MIN_OPTIONS_A_CELL or column.distinct <= len(pieces)):
            # Separators inside single answers ("Yes, daily"): several answers would make more
            # distinct combinations than there are options.
            continue
        cued = lexicon.cue("multi_select", column.header)
        if cued or (mean_words <= MAX_PIECE_WORDS and top >= MIN_TOP_COVERAGE):
            known = [p for p, n in pieces.most_common(40) if n >= 2]
            return make_profile(
                column,
                "multi_select",
                f"several answers a cell, separated by {separator!r}",
                separator=separator,
                options=known,
            )
    return None


def split_options(cells: Sequence[str], separator: str) -> list[list[str]]:
    """Split multi-select cells, keeping option labels that contain the separator whole.

    An option label may itself hold the separator ("Social media such as blogs, Twitter, or
    GitHub"): its pieces then always stand side by side, in the same order, while real options
    are chosen in many combinations. Adjacent pieces that (almost) never appear apart are joined.
    """
    split = [[p.strip() for p in _split_outside_brackets(cell, separator) if p.strip()] for cell in cells]
    pieces: Counter[str] = Counter(p for parts in split for p in parts)
    pairs: Counter[tuple[str, str]] = Counter((a, b) for parts in split for a, b in itertools.pairwise(parts))
    glued = {
        pair
        for pair, n in pairs.items()
        if n >= MIN_GLUE and n >= GLUE_SHARE * pieces[pair[0]] and n >= GLUE_SHARE * pieces[pair[1]]
    }
    result = []
    for parts in split:
        options: list[str] = []
        for index, part in enumerate(parts):
            if index and (parts[index - 1], part) in glued:
                options[-1] = options[-1] + separator + part
            else:
                options.append(part)
        result.append(options)
    return result


def _split_outside_brackets(cell: str, separator: str) -> list[str]:
    """Split on the separator except inside brackets ("Artificial sweeteners (e.g., Splenda)")."""
    if "(" not in cell and "[" not in cell:
        return cell.split(separator)
    parts, depth, start, index = [], 0, 0, 0
    while index < len(cell):
        char = cell[index]
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(0, depth - 1)
        elif depth == 0 and cell.startswith(separator, index):
            parts.append(cell[start:index])
            index += len(separator)
            start = index
            continue
        index += 1
    parts.append(cell[start:])
    return parts
