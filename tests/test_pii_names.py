"""Person names: speakers become roles, names in free text become [NAME], brands and places stay."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import write

from assistant.context import Journey
from assistant.ingest.chunking import speaker_turns
from assistant.ingest.loaders import load_prose
from assistant.ingest.pii import PII_KINDS, redact_pii
from assistant.ingest.pii_names import find_names, speaker_roles

TRANSCRIPT = """# Interview P01 — Margaret
Date: 2026-05-14
Participant: P01 · age 65-74 · Wales
Interviewer: Rosie Hartley

Rosie Hartley: Thanks for making time, Margaret. How do you shop with us?

Margaret: Well, I do most things on the computer. My daughter showed me.

Rosie Hartley: And what was the first thing you bought?

Margaret: Towels. Rosie, you asked about delivery? It came in two days.
Still, I told Hartley's team it was late once.
"""


def _redacted_records(text: str, source: str = "P01.md", kind=None) -> list[str]:  # type: ignore[no-untyped-def]
    loaded = load_prose(text, source, kind)
    return [redact_pii(r.text, speakers=loaded.speakers).text for r in loaded.records]


# --------------------------------------------------------------------------- speakers


def test_speaker_names_become_roles_consistently_in_a_file() -> None:
    loaded = load_prose(TRANSCRIPT, "P01.md", None)
    assert loaded.speakers["Rosie Hartley"] == "Interviewer"
    assert loaded.speakers["Margaret"] == "Participant"
    text = "\n\n".join(redact_pii(r.text, speakers=loaded.speakers).text for r in loaded.records)
    assert text.count("Interviewer:") == 2 and text.count("Participant:") == 2
    assert "Rosie" not in text and "Hartley" not in text and "Margaret" not in text
    # Later mentions of the speakers in the free text are names too.
    assert "Thanks for making time, [NAME]." in text
    assert "[NAME], you asked about delivery?" in text
    assert "I told [NAME]'s team" in text


def test_turn_structure_is_kept() -> None:
    body = TRANSCRIPT.split("\n")[5:]
    before = speaker_turns(body)
    loaded = load_prose(TRANSCRIPT, "P01.md", None)
    redacted = [redact_pii(line, speakers=loaded.speakers).text for line in body]
    after = speaker_turns(redacted)
    assert before is not None and after is not None
    assert [(b.line_start, b.line_end) for b in before] == [(b.line_start, b.line_end) for b in after]


def test_interviewer_is_the_one_asking_questions() -> None:
    lines = [
        "Dan: How do you use the tool?",
        "Participant: Mostly for plots.",
        "Dan: Which plots?",
        "Participant: The ICE ones. Sam helped me.",
    ]
    assert speaker_roles(lines) == {"Dan": "Interviewer"}
    lines = ["Ann: Why did you stop?", "Bo: The price.", "Ann: At which step?", "Bo: At the end."]
    assert speaker_roles(lines) == {"Ann": "Interviewer", "Bo": "Participant"}
    three = [*lines, "Cy: I agree.", "Cy: Me too."]
    assert speaker_roles(three) == {"Ann": "Interviewer", "Bo": "Participant", "Cy": "Participant 2"}


def test_bracketed_and_role_labels() -> None:
    lines = [
        "Interviewer (Rosie): What happened next?",
        "P3: I gave up.",
        "Interviewer (Rosie): Why?",
        "P3: Too slow. Rosie knows.",
        "Particpant: (typo, still a role)",
    ]
    roles = speaker_roles(lines)
    assert roles == {"Interviewer (Rosie)": "Interviewer"}
    out = [redact_pii(line, speakers=roles).text for line in lines]
    assert out[0] == "Interviewer: What happened next?"
    assert out[3] == "P3: Too slow. [NAME] knows."
    assert out[4] == lines[4]


def test_support_thread_gets_customer_and_agent() -> None:
    lines = [
        "Jo Bloggs: My parcel never came.",
        "Sam: Sorry to hear that, can you share the order number?",
        "Jo Bloggs: LK-20931455",
        "Sam: Thanks Jo, I've raised it.",
    ]
    roles = speaker_roles(lines, kind="ticket")
    assert roles == {"Jo Bloggs": "Customer", "Sam": "Agent"}
    assert redact_pii(lines[3], speakers=roles).text == "Agent: Thanks [NAME], I've raised it."
    assert speaker_roles(["Customer: Hi", "Agent (Sam): Hello", "Customer: ok", "Agent (Sam): ok"]) == {
        "Agent (Sam)": "Agent"
    }


def test_front_matter_names_are_redacted_in_attributes(journey: Journey, tmp_path: Path) -> None:
    path = write(tmp_path / "interviews" / "P01.md", TRANSCRIPT)
    report = journey.ingester().ingest([path])
    assert report.pii_redacted["name"] >= 8
    records = journey.store.get("default", [i for i, _, _ in journey.store.iter_all("default")])
    stored = " ".join(r.text + " " + " ".join(map(str, r.attributes.values())) for r in records)
    assert "Rosie" not in stored and "Hartley" not in stored and "Margaret" not in stored
    assert "Interviewer:" in stored and "Participant:" in stored


# --------------------------------------------------------------------------- free text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@[user] Hi Patrick, sorry for this experience!", "@[user] Hi [NAME], sorry for this experience!"),
        (
            "Thanks for reaching out to us, Lauren. We can help.",
            "Thanks for reaching out to us, [NAME]. We can help.",
        ),
        (
            "Please send us an email and we will assist. ^JR",
            "Please send us an email and we will assist. ^[NAME]",
        ),
        (
            "Try the steps here: https://example.com/help *SR",
            "Try the steps here: https://example.com/help *[NAME]",
        ),
        (
            "Check the opening hours at your branch. -Richard",
            "Check the opening hours at your branch. -[NAME]",
        ),
        ("Hey Rajesh, have a look here.", "Hey [NAME], have a look here."),
        ("my name is Priya and I was charged twice", "my name is [NAME] and I was charged twice"),
        ("Dr. Okafor said the parcel was fine", "Dr. [NAME] said the parcel was fine"),
        ("I spoke to Sarah Jenkins on the phone", "I spoke to [NAME] on the phone"),
        ("the driver, Tom, was lovely", "the driver, [NAME], was lovely"),
        ("Kelli's workout video", "[NAME]'s workout video"),
    ],
)
def test_names_in_free_text_are_redacted(text: str, expected: str) -> None:
    result = redact_pii(text)
    assert result.text == expected
    assert result.counts["name"] == expected.count("[NAME]")


@pytest.mark.parametrize(
    "text",
    [
        "I paid with Apple Pay and my Visa card in London on Monday.",
        "Bought it in May, it arrived in June. Will it fit?",
        "Hello Larkspur team, where is my order?",
        "Dear Larkspur,\n\nIt's order LK-20904765.",
        "Hello,\n\nOrder number LK-20252955. Tracking says delivered.",
        "Great top. Fits well. Love the colour.",
        "Hello Mojang I have been a long time supporter @MojangSupport",
        "R is slow compared with Julia and Python.",
        "Data Scientist",
        "The Whale Shark Card Bundle never arrived on my PS4.",
        "Thank you! Biscuit says bye.",
    ],
)
def test_brands_places_and_common_words_are_kept(text: str) -> None:
    assert redact_pii(text).text == text


def test_text_between_names_is_kept_byte_for_byte() -> None:
    text = "  Hi\u00a0Sarah,\tthe order 🙂 came — thanks, Sarah!  "
    assert redact_pii(text).text == "  Hi\u00a0[NAME],\tthe order 🙂 came — thanks, [NAME]!  "


def test_name_kind_is_reported() -> None:
    assert "name" in PII_KINDS
    result = redact_pii("Hi Sarah, mail me at sarah.jones@example.com")
    assert result.counts == {"name": 1, "email": 1}  # the address is one e-mail, not a name


def test_redaction_with_names_is_idempotent() -> None:
    loaded = load_prose(TRANSCRIPT, "P01.md", None)
    for record in loaded.records:
        once = redact_pii(record.text, speakers=loaded.speakers).text
        assert redact_pii(once, speakers=loaded.speakers).text == once
    once = redact_pii("Hi Patrick, call 07700 900123. ^JR").text
    assert redact_pii(once).text == once


def test_names_can_be_left_alone() -> None:
    assert redact_pii("Hi Patrick, call 07700 900123", redact_names=False).text == "Hi Patrick, call [PHONE]"


def test_find_names_on_empty_and_plain_text() -> None:
    assert find_names("") == []
    assert find_names("no capitals here at all") == []


# --------------------------------------------------------------------------- signatures, subjects


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The line after a closing line signs the message (real support tweets).
        (
            "Hopefully the charge can be removed. Thanks.\n\nKind regards,\nChris link",
            "Hopefully the charge can be removed. Thanks.\n\nKind regards,\n[NAME] link",
        ),
        (
            "fill the web form\n\nThanks\nSusan-HP Social Media Tech Support",
            "fill the web form\n\nThanks\n[NAME]-HP Social Media Tech Support",
        ),
        (
            "to help us remember names &amp; numbers?\nThanks,\nChristopher",
            "to help us remember names &amp; numbers?\nThanks,\n[NAME]",
        ),
        # Sign-off markers after a sentence's end, and "/" after a space.
        (
            "We’re here to help, just need more info. Thanks.^Kartika",
            "We’re here to help, just need more info. Thanks.^[NAME]",
        ),
        (
            "We'll be here for anything else /KK",
            "We'll be here for anything else /[NAME]",
        ),
        # A first name opening a sentence as its subject (WNUT-17 dev sentences).
        (
            "Congratulations on your beautiful family... Ryan is hilarious!",
            "Congratulations on your beautiful family... [NAME] is hilarious!",
        ),
        (
            "Miranda is the best. Her writing performance is EPIC",
            "[NAME] is the best. Her writing performance is EPIC",
        ),
        # A full name, then its parts alone and possessive, are the same person.
        (
            "I spoke with Rosie Hartley yesterday. Hartley's answer was fine, and Rosie called back.",
            "I spoke with [NAME] yesterday. [NAME]'s answer was fine, and [NAME] called back.",
        ),
    ],
)
def test_signatures_and_sentence_subjects_are_redacted(text: str, expected: str) -> None:
    assert redact_pii(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        # A full stop after "mom" ends the sentence: no title before "Congratulations".
        "I think as they get older is easier on the mom. Congratulations on your family!",
        # "/" glued to words joins them; a closing line followed by the message going on.
        "It crashes on Windows/Mac",
        "Thanks\nLooking forward to hearing from you about the refund soon",
        # Common words and products opening a sentence before a verb.
        "How is this still broken? Why is it slow?",
        "@AdobeCare Yep Wacom Intuos Pro L and Catalina. InDesign is doing great.",
        "We haven't made any announcement regarding the release date of 'Mirzapur Season 2' yet.",
    ],
)
def test_sentence_ends_and_joined_words_are_no_cues(text: str) -> None:
    assert redact_pii(text).text == text


def test_a_surname_with_an_apostrophe_goes_with_the_first_name() -> None:
    # "O'Neill" was not read as a word, so only "Joanne" was redacted and the surname stayed.
    assert redact_pii("Thanks, Joanne O'Neill from billing").text == "Thanks, [NAME] from billing"
    assert redact_pii("My name is Sean O'Brien and I called twice").text == "My name is [NAME] and I called twice"


# --------------------------------------------------------------------------- agents' sign-offs, rare surnames


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Real agent tweets (support_twitter_customer_care): one initial right after "^" or " /",
        # a name glued in CamelCase, "_" as the marker, a full stop after the name, a surname's
        # initial after the first name.
        ("seeing an error? ^T", "seeing an error? ^[NAME]"),
        ("just give us a shout /G", "just give us a shout /[NAME]"),
        ("with any additional questions. ^CharlesOpacki", "with any additional questions. ^[NAME]"),
        ("to avoid character limitation. _Rjay", "to avoid character limitation. _[NAME]"),
        ("phone support team. Thanks! ^Vinod.", "phone support team. Thanks! ^[NAME]."),
        ("subscriptions-and-fees.html ) . ~Mark Y.", "subscriptions-and-fees.html ) . ~[NAME]"),
        # The agent's name before the team's on a line of its own.
        (
            "Let me know how that goes.\n\nRoopa-HP Social Media Support.",
            "Let me know how that goes.\n\n[NAME]-HP Social Media Support.",
        ),
        # Initials after the closing link or a closing word; a first name alone after the
        # last sentence.
        (
            "more here: https://news.delta.com/change-your-travel-plans HRB",
            "more here: https://news.delta.com/change-your-travel-plans [NAME]",
        ),
        ("just need some more info. Thanks, AK", "just need some more info. Thanks, [NAME]"),
        ("the current waiver in place. Trinity", "the current waiver in place. [NAME]"),
        # Two surnames no dictionary holds, side by side (survey answer, support tweet).
        ("That it was not entirely written by Hadley Wickham", "That it was not entirely written by [NAME]"),
        # A first name that is mostly a word, before such a surname (WNUT-17 train tweets).
        ("Blades trade Travis Toomey to Seattle for 4th", "Blades trade [NAME] to Seattle for 4th"),
        ("First Paris Hilton, now the others", "First [NAME], now the others"),
        (
            "account name: Adekunle Adeoye, email address: [EMAIL]",
            "account name: [NAME], email address: [EMAIL]",
        ),
    ],
)
def test_more_sign_offs_and_rare_surnames_are_redacted(text: str, expected: str) -> None:
    assert redact_pii(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        # "MS" in capitals is Microsoft, not a title; a Mac is a computer.
        "Typically in a markdown or MS Word memo on the network drive",
        "I need to know if you're on a Mac or a PC and what kind of graphics card",
        # An adverb or a welcome after "Hi," / "Hello," greets no one.
        "@[user] Hi, Welcome to the HP support on Twitter.",
        "@[user] Hello, Unfortunately, we cannot remove protected registration",
        # Emoticons and shouted words after a dash; a greeting in Spanish before a place.
        "Lol:) and im good too, sorry i have not been on: -S",
        "better than today, because today still somewhat - SUCKS.",
        "SCANS: Hola Mexico December 24, 2014",
        # A surname alone, even one no dictionary holds, is as often a place, a shop or an app
        # (WNUT-17 train sentences, support tweets).
        "Well losing my favourite sun glasses in Melbourne is not the idea of a good time",
        "Costco Irvine has fresh sushi samples today",
        "I recently reset my phone and lost the Authenticator App in the process",
        "Facebook Job-Hunting App BranchOut Raises $6 Million",
    ],
)
def test_abbreviations_greeting_words_and_lone_surnames_are_kept(text: str) -> None:
    assert redact_pii(text).text == text
