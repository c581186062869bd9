"""Every format, and every bad-input case, at the loader level (no store involved)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from conftest import SHARED

from assistant.errors import IngestError
from assistant.ingest.chunking import MAX_WORDS, split_long_text, word_count
from assistant.ingest.loaders import pick_loader
from assistant.ingest.records import Loaded


def load(name: str, data: bytes, kind: str | None = None, text_column: str | None = None) -> Loaded:
    return pick_loader(Path(name), data)(data, name, kind, text_column)  # type: ignore[arg-type]


TRANSCRIPT = """# Interview P07 — Dana

Date: 2026-06-12
Participant: P07 · age 30-39 · Leeds · iOS app · member
Interviewer: Sam

Interviewer: So tell me about the last time you ordered.

Dana: Right, so, it was the duvet. I got all the way to the end
and then the delivery was suddenly £6.95 which, honestly, I wasn't expecting.

Interviewer: What did you do then?

Dana: I closed the app. Came back two days later on the laptop.

[00:04:12] Interviewer: And the laptop went fine?

[00:04:20] Dana: Yeah fine, apart from making me set up an account.
"""


def test_transcript_keeps_turns_and_reads_front_matter() -> None:
    loaded = load("interview_p07.md", TRANSCRIPT.encode())
    assert loaded.kind == "interview"
    texts = [r.text for r in loaded.records]
    joined = "\n".join(texts)
    # A turn is never cut in two: the multi-line answer stays whole inside one record.
    assert any("I got all the way to the end\nand then the delivery was suddenly £6.95" in t for t in texts)
    assert "Date: 2026-06-12" not in joined  # front matter became attributes, not evidence
    first = loaded.records[0]
    assert first.attributes["participant"].startswith("P07")
    assert first.created_at is not None and first.created_at.year == 2026
    assert first.locator.line_start is not None and first.locator.line_end is not None
    # Line ranges point back at the source lines.
    lines = TRANSCRIPT.split("\n")
    for record in loaded.records:
        span = "\n".join(lines[record.locator.line_start - 1 : record.locator.line_end])
        assert record.text.split("\n")[0] in span


def test_long_transcript_turns_are_packed_but_never_split_unless_alone_too_long() -> None:
    turns = []
    for i in range(40):
        turns.append(f"Interviewer: Question number {i} about delivery?")
        turns.append(f"Alex: Answer {i} " + "word " * 30)
    loaded = load("call.txt", "\n\n".join(turns).encode())
    assert len(loaded.records) > 1
    for record in loaded.records:
        assert word_count(record.text) <= MAX_WORDS
        for line in record.text.split("\n\n"):
            assert line.startswith(("Interviewer:", "Alex:"))


def test_split_long_text_pieces_are_verbatim_and_bounded() -> None:
    text = " ".join(f"Sentence {i} is about the checkout being slow and annoying." for i in range(200))
    pieces = split_long_text(text)
    assert len(pieces) > 1
    for piece in pieces:
        assert piece in text
        assert word_count(piece) <= MAX_WORDS
    assert sum(word_count(p) for p in pieces) == word_count(text)


def test_plain_notes_become_paragraph_chunks_with_line_ranges() -> None:
    text = "Notes from the store visit.\n\nPeople asked about sizes.\nMany of them.\n\nThe end."
    loaded = load("notes.txt", text.encode())
    assert len(loaded.records) == 1  # small paragraphs pack into one chunk
    record = loaded.records[0]
    assert (record.locator.line_start, record.locator.line_end) == (1, 6)


def test_csv_detects_text_column_types_attributes_and_parses_dates() -> None:
    data = (
        b"ticket_id,created_at,channel,category,body\n"
        b'T-1,2026-05-01T10:00:00,email,Delivery,"The parcel never came, and nobody answered.\nSecond line here."\n'
        b"T-2,2026-05-02T11:30:00,chat,Payment,My card was declined three times at the last step\n"
        b"T-3,2026-05-03,phone,Other,\n"
    )
    loaded = load("support_tickets.csv", data)
    assert loaded.kind == "ticket"
    assert [r.locator.row for r in loaded.records] == [1, 2]
    assert loaded.skipped_empty == 1
    first = loaded.records[0]
    assert first.text == "The parcel never came, and nobody answered.\nSecond line here."
    assert first.attributes == {"ticket_id": "T-1", "channel": "email", "category": "Delivery"}
    assert first.created_at is not None and first.created_at.day == 1


def test_csv_named_text_column_and_missing_column_error() -> None:
    data = b"id,title,notes\n1,Great,fine product overall i think\n2,Bad,arrived broken and late again\n"
    loaded = load("x.csv", data, text_column="title")
    assert [r.text for r in loaded.records] == ["Great", "Bad"]
    with pytest.raises(IngestError, match="no column named 'comment'.*id, title, notes"):
        load("x.csv", data, text_column="comment")


def test_tsv_and_semicolon_csv() -> None:
    tsv = b"id\tfeedback\tscore\n1\tThe app crashed when I tried to pay\t2\n"
    assert load("survey.tsv", tsv).records[0].attributes == {"id": 1, "score": 2}
    semi = b"id;feedback;score\n1;Delivery took far too long this time;3\n2;Really happy with the towels I got;5\n"
    assert load("feedback.csv", semi).records[0].text == "Delivery took far too long this time"


def test_table_without_text_is_registered_as_analytics() -> None:
    data = (
        b"week_start,device,visit,cart,order\n2026-04-06,mobile,1000,200,50\n2026-04-06,desktop,800,220,90\n"
    )
    loaded = load("funnel.csv", data)
    assert loaded.kind == "analytics"
    assert loaded.records == []
    assert loaded.table is not None and loaded.table.rows == 2


def test_ragged_csv_names_the_row() -> None:
    data = b"a,b,comment\n1,2,this row is fine and long enough\n3,4,five,six\n"
    with pytest.raises(IngestError, match=r"ragged table: data row 2 .* 4 fields, the header has 3"):
        load("bad.csv", data)


def test_rows_short_by_different_amounts_are_broken_lines_and_refused() -> None:
    # A line break outside quotes splits one row into two short ones of different widths.
    data = b"a,b,c,comment\n1,2,3,fine and long enough\n4,5\n6,7,broken in two\n"
    with pytest.raises(IngestError, match=r"ragged table: data row 3 .* 3 fields, the header has 4"):
        load("broken.csv", data)


def test_json_list_object_wrapper_and_jsonl() -> None:
    items = [{"id": 1, "review": {"text": "Lovely sheets but slow delivery", "stars": 4}, "tags": ["a", "b"]}]
    loaded = load("reviews.json", json.dumps(items).encode())
    assert loaded.records[0].text == "Lovely sheets but slow delivery"
    assert loaded.records[0].attributes["review.stars"] == 4
    wrapped = load("export.json", json.dumps({"meta": {"n": 1}, "reviews": items}).encode())
    assert wrapped.records[0].text == "Lovely sheets but slow delivery"
    lines = b'{"message": "Checkout would not accept my postcode at all"}\n\n{"message": "Great service from the chat team today"}\n'
    jsonl = load("chats.jsonl", lines)
    assert [r.locator.row for r in jsonl.records] == [1, 3]  # the line number, blank line counted


def test_invalid_json_names_line_and_column() -> None:
    with pytest.raises(IngestError, match="invalid JSON at line 2, column"):
        load("bad.json", b'[{"a": 1},\n {"a": }]')
    with pytest.raises(IngestError, match="invalid JSON on line 2"):
        load("bad.jsonl", b'{"text": "fine record here ok"}\n{"text": oops}\n')


def test_pdf_pages_have_page_locators() -> None:
    from fpdf import FPDF

    pdf = FPDF()
    for text in (
        "Research summary: delivery costs surprised most participants.",
        "Page two: account creation was the second most common complaint.",
    ):
        pdf.add_page()
        pdf.set_font("Helvetica", size=12)
        pdf.multi_cell(0, 10, text)
    data = bytes(pdf.output())
    loaded = load("research_report.pdf", data)
    assert loaded.kind == "research"
    assert [r.locator.page for r in loaded.records] == [1, 2]
    assert "account creation" in loaded.records[1].text


def test_docx_paragraphs_and_tables() -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Interviewer: How was delivery?")
    document.add_paragraph("Mo: Late, twice, and the tracking never moved.")
    document.add_paragraph("Interviewer: And returns?")
    document.add_paragraph("Mo: Fine actually, quick refund.")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Theme"
    table.rows[0].cells[1].text = "Late delivery"
    buffer = io.BytesIO()
    document.save(buffer)
    loaded = load("interview_mo.docx", buffer.getvalue())
    assert loaded.kind == "interview"
    joined = "\n".join(r.text for r in loaded.records)
    assert "Mo: Late, twice, and the tracking never moved." in joined
    assert "Theme | Late delivery" in joined


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252"])
def test_legacy_encodings_are_decoded(encoding: str) -> None:
    text = 'id,comment\n1,"Café au lait mug – cracked, €12 wasted… très déçue"\n'
    data = text.encode(encoding, errors="replace")
    loaded = load("legacy.csv", data)
    assert "Café" in loaded.records[0].text


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        ("garbled.txt", bytes(range(1, 32)) * 40 + "é".encode("cp1252"), "undecodable"),
        ("fake.pdf", b"this is not a pdf at all", "not a real .pdf"),
        ("archive.docx", b"PK\x03\x04garbage", "unreadable .docx"),
        ("data.zip", b"PK\x03\x04garbage", "zip archive"),
        ("sheet.xlsx", b"just text really", "unsupported file type"),
        ("head.csv", b"a,b,c\n", "header but no rows"),
    ],
)
def test_bad_files_fail_with_a_reason(name: str, data: bytes, reason: str) -> None:
    with pytest.raises(IngestError, match=reason):
        load(name, data)


def test_real_clothing_reviews_with_multiline_quoted_fields() -> None:
    path = (
        SHARED
        / "womens_clothing_ecommerce_reviews_subset"
        / "Womens_Clothing_E-Commerce_Reviews_first1499.csv"
    )
    loaded = load(path.name, path.read_bytes())
    assert loaded.kind == "review"
    rows = {r.locator.row for r in loaded.records}
    assert len(rows) + loaded.skipped_empty == 1499
    # Title and review text are both the customer's words: each its own record, the row's rating on both.
    assert {r.locator.column for r in loaded.records} == {"Title", "ReviewText"}
    reviews = [r for r in loaded.records if r.locator.column == "ReviewText" and (r.locator.chunk or 1) == 1]
    ratings = [r.attributes["Rating"] for r in reviews]
    assert {rating: ratings.count(rating) for rating in set(ratings)}[1] <= 45
    assert all(r.attributes.get("Rating") for r in loaded.records)


def test_real_sessions_table_is_analytics() -> None:
    path = SHARED / "uci_online_shoppers_intention" / "online_shoppers_intention.csv"
    loaded = load(path.name, path.read_bytes())
    # 125 rows are exact duplicates of others: people are counted once.
    assert loaded.table is not None and loaded.table.rows == 12330 - 125
    assert loaded.duplicate_rows == 125
    assert "Revenue" in loaded.table.columns
