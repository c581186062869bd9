"""Survey exports with two header lines (question, then answer option): read as one header.

SurveyMonkey-style "wide" exports put each question in the first header line, leave it blank over
the columns that continue the question, and name each column's answer option on a second line
("Response", "Open-Ended Response", an option label, "Other (please specify)"). Read as data, that
second line would be a respondent, and the option columns would have no names. The words of the
second line are data (`subheader_values` in assistant/lexicons/columns.yaml).
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.profiling.lexicon import column_lexicon

ALONE_SHARE = 0.5  # half the second line's filled cells are answer-line words ("Response")...
# ...or fewer, when the second line also fills every blank of the first (the options of a question).
CONTINUED_SHARE = 0.9  # ...or nearly every one: an option nobody named is left blank on both lines


def merge_subheader(header: Sequence[str], rows: list[list[str]]) -> tuple[list[str], list[list[str]], bool]:
    """The header with a second header line folded in, the data rows without it, and whether one was."""
    if not rows or len(rows[0]) != len(header):
        return list(header), rows, False
    lexicon = column_lexicon()
    plain, other = lexicon.subheader_plain, lexicon.subheader_other
    second = [cell.strip() for cell in rows[0]]
    filled = [c for c in second if c]
    blanks = [i for i, h in enumerate(header) if not h.strip()]
    # An option line names (nearly) every column the question line leaves blank.
    continued = bool(blanks) and sum(bool(second[i]) for i in blanks) >= CONTINUED_SHARE * len(blanks)
    # Some exports repeat a single-answer column's header on the option line instead of "Response";
    # only beside continued questions, since a ticked option's answer is its header too ("Python").
    repeated = {i for i, c in enumerate(second) if c and c == header[i].strip()} if continued else set()
    known = sum(c.lower() in plain or c.lower() in other for c in filled) + len(repeated)
    share = known / len(filled) if filled else 0.0
    if not known or not (share >= ALONE_SHARE or continued):
        return list(header), rows, False
    names: list[str] = []
    question = ""
    for index, raw in enumerate(header):
        if raw.strip():
            question = raw.strip()
        option = second[index]
        if not option or option.lower() in plain or index in repeated:
            names.append(question or raw)
        else:
            names.append(f"{question}: {option}" if question else option)
    return names, rows[1:], True
