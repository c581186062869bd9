"""Redact personal data (e-mail addresses, phone numbers, payment cards, IBANs, names) from text."""

# Design, in short:
#
# * Every detector runs on the *original* text and reports candidate spans. Spans are then
#   accepted in priority order (e-mail > IBAN > IBAN-shaped tokens that fail the checksum >
#   card > phone) and an accepted span blocks any overlapping lower-priority one. This is why
#   the digits inside an IBAN are never reported as a card or a phone number, and why the
#   text between spans is copied through byte for byte.
# * Regexes only *propose* candidates; checksums (Luhn, mod-97) and per-country length and
#   layout rules decide. That keeps the regexes simple, which matters for speed: every
#   pattern is precompiled, anchored with look-behinds so it can only start at the beginning
#   of a token, and written so that each character can be consumed in only one way (no
#   nested, ambiguous quantifiers), so a pathological input costs linear time.
# * Cards vs EAN-13/ISBN: a card must pass Luhn *and* start with an IIN whose scheme issues
#   that length (Visa 13/16/19, Mastercard 16, Amex 15, Diners 14/16, JCB 3528-3589 16-19,
#   Discover/UnionPay/Maestro 16-19), and be written compact or in card groups (4-4-4-4,
#   4-6-5, ...). An ungrouped 13-digit number is never a card: 13-digit cards are all but
#   extinct while 13-digit EAN barcodes are everywhere, and about one EAN in ten passes Luhn
#   by chance. A 13-digit Visa in card groups ("4222 2222 2222 2") is still caught. ISBN-13s
#   start with 978/979, which no IIN does; GTIN-14s and IMEIs mostly fail the IIN/length
#   pairing. Numbers right after a product/order/logistics label ("SKU", "EAN", "order no.",
#   "tracking", "case", ...) are never cards or national phone numbers.
# * Phones: a run of digits and phone punctuation is split into groups and, from each
#   plausible start, the longest run of groups that forms a valid number is taken. Accepted:
#   - international numbers with "+" or "00": country code, national length rules for the
#     common countries, "(0)" trunk allowed ("+44 (0)20 7946 0018");
#   - national numbers with a trunk "0" (UK, IE, DE, FR, NL, IT, AU, ...): 9-11 digits in
#     plausible groups, one separator style, an area code optionally set off with "-" or
#     "/" ("020-123 4567", "030/12345678"), compact only with 10-11 digits;
#   - North American numbers in 3-3-4 layout ("(415) 555-0132", "415.555.0132"); with
#     spaces only ("415 555 0132") a cue word such as "call" or "phone" must precede.
#   Out of scope: national numbers without a trunk 0 other than NANP (Spain "912 345 678",
#   India "98765 43210" without +91), international numbers without "+"/"00"
#   ("44 7700 900123"), ungrouped 10-digit NANP numbers, 7-digit local numbers
#   ("555-0132"), extensions, and numbers spelled out in words. A bare 10-11 digit number
#   starting with 0 is taken as a phone: it cannot be told apart from "07700900123".
# * E-mail: RFC-ish addresses in any script, plus light obfuscation ("jane dot doe at gmail
#   dot com", "jane [at] example.co.uk"). A word "at" only counts before a mailbox provider.
# * Names (assistant/ingest/pii_names.py): person names become "[NAME]"; a transcript's speaker
#   labels become roles ("Rosie Hartley:" -> "Interviewer:") when the caller passes the file's
#   speaker mapping, and the speakers' names are then redacted wherever else they appear.
#   Names rank below every other kind: "jane.doe@example.com" is an e-mail, not a "jane".

import bisect
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from assistant.ingest.pii_names import find_names, known_names, speaker_label_spans

PII_KINDS = ("email", "phone", "card", "iban", "name")

PLACEHOLDERS = {
    "email": "[EMAIL]",
    "phone": "[PHONE]",
    "card": "[CARD]",
    "iban": "[IBAN]",
    "name": "[NAME]",
}

# Span priorities: lower wins when spans overlap. "block" is an IBAN-shaped token that failed
# validation; it is never redacted but stops its digits being read as a card or phone. A
# "role" is a speaker label replaced by its role; it is counted as a name.
_PRIORITY = {"email": 0, "iban": 1, "block": 2, "card": 3, "phone": 4, "role": 5, "name": 6}


@dataclass(frozen=True)
class Redaction:
    """The redacted text and how many spans of each kind were replaced."""

    text: str  # the text with each PII span replaced by its placeholder
    counts: dict[str, int] = field(default_factory=dict)  # kind -> spans redacted (> 0 only)

    @property
    def total(self) -> int:
        """Return the number of spans redacted across all kinds."""
        return sum(self.counts.values())


# --------------------------------------------------------------------------- e-mail

# Local part and domain of an ordinary address. Letters may be any script ("josé@...",
# "info@müller-shop.de"), hence [^\W_] (a Unicode letter or digit) rather than [A-Za-z0-9].
# The look-behind means a match can only start at the first character of a token, so a long
# run of letters is scanned once, not once per start position. The local part is capped at
# the RFC limit of 64 characters.
_EMAIL_RE = re.compile(
    r"(?<![\w.%+\-@])"
    r"[^\W_][\w.%+'\-]{0,63}"  # "'" for addresses like daniel.o'connor@...
    r"@"
    r"(?:[^\W_](?:[\w\-]{0,61}[^\W_])?\.)+"
    r"[A-Za-z]{2,24}"
    r"(?![\w\-]|\.[^\W_])"
)

# Lightly obfuscated addresses: "jane dot doe at gmail dot com", "jane.doe [at] example.co.uk",
# "jane (at) example (dot) org", "zara_ali @ example.com". How much is accepted depends on the
# "at": a bracketed one is unambiguous; a spaced "@" is also shorthand for "at" ("bought @
# argos.co.uk"), and a bare word "at" is ordinary English ("shop at amazon dot com"), so those
# two are checked further in _find_emails.
_OBF_DOT = r"(?:\s*[\[({<]\s*(?:dot|\.)\s*[\])}>]\s*|\s+dot\s+|\.)"
_OBF_LABEL = r"[^\W_][\w%+\-]*"
_OBF_TLD = (
    r"(?:com|net|org|edu|gov|info|biz|io|co|uk|ie|de|fr|nl|be|es|it|eu|us|ca|au|nz|in|ch|at"
    r"|se|dk|no|fi|pl|pt)"
)
_OBF_EMAIL_RE = re.compile(
    rf"(?<![\w.@%+\-])(?P<local>{_OBF_LABEL}(?:{_OBF_DOT}{_OBF_LABEL}){{0,4}})"
    r"(?:"
    r"(?P<bracketed>\s*[\[({<]\s*(?:at|@)\s*[\])}>]\s*)"
    r"|(?P<spaced>\s+@\s*|\s*@\s+)"
    r"|(?P<plain>\s+at\s+)"
    r")"
    rf"(?P<domain>{_OBF_LABEL}(?:{_OBF_DOT}{_OBF_LABEL}){{0,2}}){_OBF_DOT}{_OBF_TLD}"
    r"(?![\w\-])",
    re.IGNORECASE,
)
_OBF_HINT_RE = re.compile(r"\bat\b|@", re.IGNORECASE)

# fmt: off
# Mailbox providers: "name at <provider> dot com" is an address, "shop at amazon dot com" is not.
_MAILBOX_PROVIDERS = frozenset((
    "gmail", "googlemail", "yahoo", "ymail", "hotmail", "outlook", "live", "msn", "icloud",
    "me", "mac", "aol", "protonmail", "proton", "pm", "btinternet", "sky", "virginmedia",
    "talktalk", "gmx", "web", "orange", "wanadoo", "free", "yandex", "zoho", "fastmail",
    "tutanota",
))
# Words that sit before " at gmail dot com" in ordinary sentences ("sign up at gmail dot com").
_OBF_STOPWORDS = frozenset((
    "me", "us", "you", "him", "her", "them", "it", "i", "we", "they", "up", "in", "on", "out",
    "there", "here", "online", "mail", "email", "e-mail", "inbox", "account", "address",
    "login", "log", "sign", "signed", "site", "look", "looked", "find", "found", "is", "was",
))
# fmt: on
_ADDRESSY_RE = re.compile(r"[0-9._+\-]")  # "zara_ali", "ella.r1992": not an ordinary word
_NON_WORD_RE = re.compile(r"\W")


def _find_emails(text: str) -> list[tuple[int, int]]:
    spans = [m.span() for m in _EMAIL_RE.finditer(text)]
    # Every obfuscated form has an "at" of some kind; most texts can skip the second scan.
    if not _OBF_HINT_RE.search(text):
        return spans
    pos = 0
    while m := _OBF_EMAIL_RE.search(text, pos):
        local = m.group("local").lower()
        provider = _NON_WORD_RE.split(m.group("domain").lower(), 1)[0] in _MAILBOX_PROVIDERS
        if m.group("bracketed") is not None:
            accept = True
        elif m.group("spaced") is not None:
            accept = provider or _ADDRESSY_RE.search(local) is not None
        else:
            accept = provider and len(local) >= 3 and local not in _OBF_STOPWORDS
        if accept:
            spans.append(m.span())
            pos = m.end()
        else:
            # A rejected candidate ("me at jane dot doe ...") may overlap a real address.
            pos = m.start() + 1
    return spans


# --------------------------------------------------------------------------- IBAN

# Total IBAN length per country (SWIFT IBAN registry).
# fmt: off
_IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27,
    "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27,
    "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HN": 28, "HR": 21, "HU": 28,
    "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28,
    "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22,
    "MK": 19, "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23,
    "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24,
    "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28,
    "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}
# fmt: on

# Country code, check digits, then 11-30 alphanumerics, each optionally preceded by one space
# or hyphen. Every character has exactly one way to match, so there is no backtracking blow-up;
# the match is greedy and trimmed to the country's length afterwards.
_IBAN_RE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}[0-9]{2}(?:[ \-]?[A-Za-z0-9]){11,30}")
_ALNUM_RE = re.compile(r"[A-Za-z0-9]")
# Compact, or in groups of four with a shorter last group, as banks print IBANs.
_IBAN_SHAPE_RE = re.compile(r"[A-Za-z0-9]+|[A-Za-z0-9]{4}(?:[ \-][A-Za-z0-9]{4})*(?:[ \-][A-Za-z0-9]{1,3})?")


def _iban_checksum_ok(compact: str) -> bool:
    rearranged = compact[4:] + compact[:4]
    # int(c, 36) maps 0-9 to themselves and A-Z to 10-35, exactly the IBAN letter encoding.
    number = "".join(str(int(c, 36)) for c in rearranged)
    return int(number) % 97 == 1


def _find_ibans(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    found: list[tuple[int, int]] = []
    blocked: list[tuple[int, int]] = []
    pos = 0
    # search() in a loop rather than finditer(): the greedy match may swallow following words
    # (even a second IBAN), so scanning resumes where the trimmed candidate ends.
    while m := _IBAN_RE.search(text, pos):
        raw = m.group()
        length = _IBAN_LENGTHS.get(raw[:2].upper())
        if length is None:
            pos = m.start() + 1
            continue
        # Trim to the country's length, counting only alphanumerics (separators are free).
        ends = [a.end() for a in _ALNUM_RE.finditer(raw)]
        end = ends[min(length, len(ends)) - 1]
        span = (m.start(), m.start() + end)
        compact = "".join(c for c in raw[:end] if c.isalnum()).upper()
        # The IBAN must end at a token boundary: "GB82WEST123456987654321" is not an IBAN.
        next_char = text[span[1] : span[1] + 1]
        if len(compact) == length and not next_char.isalnum() and _iban_checksum_ok(compact):
            found.append(span)
        elif _IBAN_SHAPE_RE.fullmatch(raw[:end]):
            # Written like an IBAN but invalid (typo, test value): keep it, and keep its digits
            # from being read as a card or phone. Other shapes ("ME14 5AB 07700 900123", a
            # Maidstone postcode and a phone) are left for the other detectors.
            blocked.append(span)
        pos = span[1]
    return found, blocked


# --------------------------------------------------------------------------- context

# Labels after which a number is a product/order/logistics identifier, not a card or a phone.
_CODE_LABEL_RE = re.compile(
    r"(?:\b(?:order|orders|sku|ean|upc|gtin|isbn|barcode|bar\s+code|article|item|product|model"
    r"|part|tracking|consignment|parcel|invoice|ref|reference|policy|booking|ticket|serial"
    r"|imei|batch|lot|receipt|transaction|voucher|coupon|membership|loyalty|(?<!in\s)case)"
    r"\.?\s*(?:no\.?|nr\.?|num(?:ber)?\.?|id|code|#)?\s*[:#=\-]?\s*)$",
    re.IGNORECASE,
)


def _after_code_label(text: str, start: int) -> bool:
    return _CODE_LABEL_RE.search(text, max(0, start - 40), start) is not None


# --------------------------------------------------------------------------- cards

# Card-like layouts only: 4-4-4-4(-3), 4-4-4-1..3, Amex/Diners 4-6-5 / 4-6-4 (one consistent
# separator), or 14-19 digits with no separators. Ungrouped 13-digit numbers are deliberately
# absent (EAN-13, see the module notes).
_CARD_RE = re.compile(
    r"(?<![\w.,£$€¥#+\-/@])"
    r"(?:"
    r"[0-9]{4}(?P<s1>[ \-])[0-9]{4}(?P=s1)[0-9]{4}(?P=s1)[0-9]{1,4}(?:(?P=s1)[0-9]{3})?"
    r"|[0-9]{4}(?P<s2>[ \-])[0-9]{6}(?P=s2)[0-9]{4,5}"
    r"|[0-9]{14,19}"
    r")"
    r"(?![\w]|[.,][0-9])"
)


_LUHN_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)  # digit -> sum of the digits of 2 * digit


def _luhn_ok(digits: str) -> bool:
    rev = digits[::-1]
    total = sum(map(int, rev[0::2])) + sum(_LUHN_DOUBLED[int(c)] for c in rev[1::2])
    return total % 10 == 0


def _card_lengths(digits: str) -> frozenset[int]:
    """Return the lengths the card scheme owning this IIN issues (empty if none)."""
    first = digits[0]
    two = int(digits[:2])
    if first == "4":  # Visa
        return frozenset((13, 16, 19))
    if 51 <= two <= 55 or 2221 <= int(digits[:4]) <= 2720:  # Mastercard
        return frozenset((16,))
    if two in (34, 37):  # American Express
        return frozenset((15,))
    if 300 <= int(digits[:3]) <= 305 or two in (36, 38, 39):  # Diners Club
        return frozenset((14, 16))
    if 3528 <= int(digits[:4]) <= 3589:  # JCB
        return frozenset((16, 17, 18, 19))
    if first == "6" or two in (50, 56, 57, 58):  # Discover, UnionPay, Maestro, RuPay...
        return frozenset((16, 17, 18, 19))
    return frozenset()


def _valid_card(raw: str) -> bool:
    digits = raw.replace(" ", "").replace("-", "")
    grouped = len(digits) != len(raw)
    if not grouped and len(digits) == 13:
        return False
    return len(digits) in _card_lengths(digits) and _luhn_ok(digits)


def _find_cards(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in _CARD_RE.finditer(text):
        raw = m.group()
        if _valid_card(raw):
            span = m.span()
        elif len(raw) == 23 and _valid_card(raw[:19]):
            # A grouped 19-digit match that fails may be a 16-digit card followed by an
            # unrelated 3-digit group ("4111 1111 1111 1111 123").
            span = (m.start(), m.start() + 19)
        else:
            continue
        if not _after_code_label(text, m.start()):
            spans.append(span)
    return spans


# --------------------------------------------------------------------------- phones

# A run of digits with phone punctuation: starts at a token boundary with "+", "(" or a digit,
# then digits, parentheses, dots, hyphens, slashes, and single spaces that are followed by a
# digit, "(" or a hyphen/slash and a digit. Every character is consumed by exactly one
# branch, so the scan is linear; the run is capped so a megabyte of digits is handed over in
# small pieces. A digit followed by ":", "." or "," before the start means a time, a decimal
# or a thousands group ("10:30", "£1,299"), while "ph.07700 900321" is fine.
_PHONE_RUN_RE = re.compile(
    r"(?<![\w#£$€¥@%+\-])(?<![0-9][:.,])"
    r"(?:\+|\()?[0-9](?:[0-9().\-/]|[ \u00a0](?=[0-9(]|[\-/][ \u00a0]?[0-9])){0,40}"
)
# One digit group of a run: (separator before it, "(", digits, ")").
_PHONE_TOKEN_RE = re.compile(r"([^0-9(]*)(\(?)([0-9]+)(\)?)")
# Something a phone number must contain: "+", a trunk "0", or a 3-digit NANP group.
_PHONE_HINT_RE = re.compile(r"\+|(?<![0-9])0[0-9]|(?<![0-9])[0-9]{3}(?![0-9])")
_PHONE_SEPS = frozenset(("", " ", "-", ".", " - ", "/", " / "))
# Separators after which a new number may start inside a run ("07700 900123/07700 900124"),
# unlike "-" and "." which chain the parts of dates and codes.
_PHONE_START_SEPS = frozenset((" ", "/", " - ", " / "))
# Separators that may set off an area code from the rest ("020-123 4567", "030/12345678").
_PHONE_AREA_SEPS = frozenset(("-", " - ", "/", " / "))
_PHONE_MAX_GROUPS = 7

# Words that make a bare 3-3-4 run of numbers a phone number rather than a list of quantities.
_PHONE_CUE_RE = re.compile(
    r"\b(?:call|called|calling|phone|phoned|tel|telephone|mobile|mob|cell|number|no|num|text"
    r"|texted|sms|ring|rang|reach|contact|fax|whatsapp|on|at|dial|dialled|dialed)\b\W{0,3}$",
    re.IGNORECASE,
)

# fmt: off
# E.164 country codes of one and two digits; every other code has three digits.
_CC1 = frozenset(("1", "7"))
_CC2 = frozenset((
    "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46",
    "47", "48", "49", "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63",
    "64", "65", "66", "81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98",
))
# National significant number lengths (min, max) for common countries; others get (6, 12).
_NSN_LENGTHS = {
    "1": (10, 10), "7": (10, 10), "27": (9, 9), "31": (9, 9), "32": (8, 9), "33": (9, 9),
    "34": (9, 9), "39": (6, 11), "41": (9, 9), "43": (7, 13), "44": (9, 10), "45": (8, 8),
    "46": (7, 9), "47": (8, 8), "48": (9, 9), "49": (6, 12), "61": (9, 9), "64": (8, 10),
    "65": (8, 8), "81": (9, 10), "86": (10, 11), "91": (10, 10), "351": (9, 9),
    "352": (6, 11), "353": (7, 9), "852": (8, 8), "971": (8, 9),
}
# fmt: on


@dataclass(frozen=True, slots=True)
class _Group:
    start: int  # offset in the text, including any parentheses
    end: int
    digits: str
    paren: bool  # written as "(0161)"
    sep: str  # the characters between this group and the previous one
    breaks: bool  # the separator before this group is not phone punctuation


def _split_groups(text: str, start: int, run: str) -> list[_Group]:
    groups: list[_Group] = []
    tokens = _PHONE_TOKEN_RE.findall(run)
    pos = start
    pending_break = False
    last = len(tokens) - 1
    for k, (sep, opened, digits, closed) in enumerate(tokens):
        pos += len(sep)
        paren = bool(opened and closed)
        # A lone bracket is tolerated only as the outer edge of the run ("(07700 900123)");
        # anywhere else ("0161) 496") it splits the run.
        lone_open = bool(opened) and not paren
        lone_close = bool(closed) and not paren
        if k == 0:
            breaks = False
        else:
            sep = sep.replace("\u00a0", " ")
            breaks = pending_break or lone_open or sep not in _PHONE_SEPS
        pending_break = lone_close and k != last
        end = pos + len(opened) + len(digits) + len(closed)
        groups.append(_Group(pos + lone_open, end - lone_close, digits, paren, sep, breaks))
        pos = end
    return groups


def _valid_international(groups: list[_Group], digits: str) -> bool:
    # Drop a "(0)" trunk prefix written after the country code: "+44 (0)20 7946 0018".
    parts = list(groups)
    trunk = [i for i, g in enumerate(parts) if g.paren and g.digits == "0"]
    if trunk:
        if trunk[0] not in (1, 2) or len(trunk) > 1:
            return False
        parts.pop(trunk[0])
        digits = "".join(g.digits for g in parts)
    if digits.startswith("00"):
        digits = digits[2:]
    if sum(g.paren for g in parts) > 1 or len(digits) > 15 or len(digits) < 8:
        return False
    if digits[:1] in _CC1:
        cc = digits[:1]
    elif digits[:2] in _CC2:
        cc = digits[:2]
    else:
        cc = digits[:3]
        if cc[0] == "0":
            return False
    nsn = digits[len(cc) :]
    lo, hi = _NSN_LENGTHS.get(cc, (6, 12))
    if not lo <= len(nsn) <= hi:
        return False
    if nsn[0] == "0" and cc != "39":  # only Italy keeps the leading 0 internationally
        return False
    if cc == "1":
        return nsn[0] not in "01" and nsn[3] not in "01"
    if cc == "44":
        return nsn[0] in "1235789"
    return True


def _valid_trunk_zero(groups: list[_Group], digits: str) -> bool:
    n = len(digits)
    if len(groups) == 1:  # "07700900123", also "(07700900123)"
        return n in (10, 11)
    if n not in (9, 10, 11) or len(groups) > 5:
        return False
    lengths = [len(g.digits) for g in groups]
    if not 2 <= lengths[0] <= 6 or min(lengths[1:]) < 2:
        return False
    # Subscriber parts are long: "07700 900123", "0161 496 0000", "030 12345678". Short tails
    # ("088050-171", "0693 5702 10") are references; French pairs are the exception.
    if len(groups) == 2 and lengths[1] < 5:
        return False
    if len(groups) > 2 and lengths[-1] < 3 and lengths != [2, 2, 2, 2, 2]:
        return False
    if any(g.paren for g in groups[1:]):
        return False
    seps = [g.sep for g in groups[1:]]
    if groups[0].paren:
        # "(0161) 496 0000": the bracket may be followed by a space or nothing.
        if seps[0] not in ("", " "):
            return False
        seps = seps[1:]
    # One separator style throughout, except that an area code may be set off on its own
    # ("020-123 4567", "030/12345678"): "01.06.2026 10" (a date, a time) is not a phone.
    if seps and seps[0] in _PHONE_AREA_SEPS:
        # Only a real area code ("030/", "0161-") or a two-part number ("06-12345678"):
        # otherwise "12/06/2026 0161 496 0000" would yield "06/2026 0161".
        if len(groups[0].digits) < 3 and len(groups) > 2:
            return False
        seps = seps[1:]
    return len(set(seps)) <= 1 and not set(seps) - {" ", "-", "."}


def _valid_nanp(groups: list[_Group], digits: str, text: str) -> bool:
    if len(groups) == 4 and groups[0].digits == "1" and not groups[0].paren:
        lead_sep, groups = groups[1].sep, groups[1:]
        if lead_sep not in (" ", "-", "."):
            return False
        digits = digits[1:]
    if len(digits) != 10 or [len(g.digits) for g in groups] != [3, 3, 4]:
        return False
    if digits[0] in "01" or digits[3] in "01":
        return False
    if groups[1].paren or groups[2].paren:
        return False
    s1, s2 = groups[1].sep, groups[2].sep
    if groups[0].paren:  # "(415) 555-0132", "(312)555-0190", "(415)-555-0132"
        return s1 in ("", " ", "-") and s2 in ("-", " ", ".")
    # "415-555-0132", "212.555.0147", "415 555-0132", "415 555 0132"
    if not (s1 == s2 or (s1, s2) == (" ", "-")) or s1 not in ("-", ".", " "):
        return False
    if s1 == s2 == " ":
        # "250 500 1000" is more often three quantities than a phone: want a cue word.
        return _PHONE_CUE_RE.search(text, max(0, groups[0].start - 30), groups[0].start) is not None
    return True


def _valid_phone(groups: list[_Group], plus: bool, text: str) -> bool:
    digits = "".join(g.digits for g in groups)
    if len(digits) < 8:  # shorter than any number accepted below
        return False
    if plus or (digits.startswith("00") and len(groups) >= 2):
        return _valid_international(groups, digits)
    if digits[0] == "0":
        return digits[1] != "0" and _valid_trunk_zero(groups, digits)
    return _valid_nanp(groups, digits, text)


def _plausible_start(group: _Group, intl: bool) -> bool:
    # Cheap test on the first group before any window is validated: it keeps a megabyte of
    # digits from costing seven full validations per group.
    if intl:
        return True
    d = group.digits
    if d[0] == "0":
        return 2 <= len(d) <= 6 or len(d) in (10, 11)
    return len(d) == 3 or d == "1"  # NANP: "415-555-0132", "1-800-555-0199"


def _find_phones(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in _PHONE_RUN_RE.finditer(text):
        run = m.group()
        # Every accepted number has at least 8 digits and one of the hints.
        if len(run) < 8 or not _PHONE_HINT_RE.search(run):
            continue
        plus = run.startswith("+")
        groups = _split_groups(text, m.start(), run)
        n = len(groups)
        # cum[k]: digits in groups[:k]; limit[k]: windows starting at k end before a break.
        cum = [0]
        for g in groups:
            cum.append(cum[-1] + len(g.digits))
        limit = [n] * (n + 1)
        for k in range(n - 1, 0, -1):
            limit[k - 1] = k if groups[k].breaks else limit[k]
        i = 0
        while i < n:
            intl = plus and i == 0
            # A number starts a run, or follows a space: never the middle of "2026-06-12".
            ok_start = (
                i == 0
                or groups[i].breaks
                or groups[i].sep == " "
                # After "/" or " - " only if what precedes could end a number: not "1998/08/06".
                or (groups[i].sep in _PHONE_START_SEPS and len(groups[i - 1].digits) >= 3)
            )
            if not (ok_start and _plausible_start(groups[i], intl)):
                i += 1
                continue
            found = 0
            j = min(limit[i], i + _PHONE_MAX_GROUPS)
            while j > i and cum[j] - cum[i] > 17:  # longest: "00" + 15-digit E.164
                j -= 1
            while j > i and cum[j] - cum[i] >= 8:
                end = groups[j - 1].end
                # Digits glued to letters ("07700900123abc") are an identifier.
                glued = end < len(text) and (text[end].isalnum() or text[end] in "%£$€")
                if not glued and _valid_phone(groups[i:j], intl, text):
                    found = j
                    break
                j -= 1
            if found:
                start = m.start() if intl else groups[i].start
                if intl or not _after_code_label(text, start):
                    spans.append((start, groups[found - 1].end))
                i = found
            else:
                i += 1
    return spans


# --------------------------------------------------------------------------- public API


def find_pii(
    text: str,
    *,
    speakers: Mapping[str, str] | None = None,
    names: Iterable[str] = (),
    redact_names: bool = True,
) -> list[tuple[int, int, str]]:
    """Return the accepted (start, end, kind) spans, sorted; see redact_pii for the arguments.

    kind is one of PII_KINDS, "block" (an invalid IBAN, kept as written) or "role:<role>" (a
    speaker label to replace by its role).
    """
    ibans, blocked = _find_ibans(text)
    candidates: list[tuple[int, int, int, str]] = []
    found: list[tuple[str, list[tuple[int, int]]]] = [
        ("email", _find_emails(text)),
        ("iban", ibans),
        ("block", blocked),
        ("card", _find_cards(text)),
        ("phone", _find_phones(text)),
    ]
    roles: dict[int, str] = {}
    if redact_names:
        known = list(names)
        if speakers:
            labels = speaker_label_spans(text, speakers)
            roles = {s: role for s, _, role in labels}
            found.append(("role", [(s, e) for s, e, _ in labels]))
            known += known_names(speakers)
        found.append(("name", find_names(text, known)))
    for kind, spans in found:
        candidates.extend((_PRIORITY[kind], s, e, kind) for s, e in spans)
    if not candidates:
        return []

    # Accept by priority, then position; keep accepted spans sorted so the overlap check is a
    # binary search rather than a scan (a pathological input can yield many thousands).
    candidates.sort()
    starts: list[int] = []
    accepted: list[tuple[int, int, str]] = []
    for _, s, e, kind in candidates:
        k = bisect.bisect_left(starts, s)
        if k < len(accepted) and accepted[k][0] < e:
            continue
        if k > 0 and accepted[k - 1][1] > s:
            continue
        starts.insert(k, s)
        accepted.insert(k, (s, e, f"role:{roles[s]}" if kind == "role" else kind))
    return accepted


def redact_pii(
    text: str,
    *,
    speakers: Mapping[str, str] | None = None,
    names: Iterable[str] = (),
    redact_names: bool = True,
) -> Redaction:
    """Replace e-mail addresses, phone numbers, payment cards, IBANs and names with placeholders.

    speakers maps a transcript's speaker labels to roles (see pii_names.speaker_roles): a line
    opening with such a label gets the role instead, and the speakers' names are redacted
    wherever else they appear. names are further known names. redact_names=False leaves
    names alone (the other kinds are still redacted).
    """
    accepted = find_pii(text, speakers=speakers, names=names, redact_names=redact_names)
    if not accepted:
        return Redaction(text, {})
    out: list[str] = []
    counts = dict.fromkeys(PII_KINDS, 0)
    pos = 0
    for s, e, kind in accepted:
        if kind == "block":
            continue
        out.append(text[pos:s])
        if kind.startswith("role:"):
            role = kind[5:]
            out.append(role)
            if text[s:e] != role:
                counts["name"] += 1
        else:
            out.append(PLACEHOLDERS[kind])
            counts[kind] += 1
        pos = e
    out.append(text[pos:])
    return Redaction("".join(out), {k: v for k, v in counts.items() if v})
