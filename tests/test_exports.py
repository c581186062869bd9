"""Deck-ready exports: a real font with the glyphs maps use, nothing cut, the PDF's pages in order.

The PNG and PDF are rendered and read back (the PDF through pdfium, as a viewer would), on a map
drafted offline from the sample base with its real evidence, and on a map whose text carries '£',
'€', '—', typographic quotes, accents and an emoji.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from assistant.context import Journey
from assistant.maps.models import Emotion, JourneyMap, Opportunity, PainPoint, Persona, Stage
from assistant.models import Citation
from assistant.web import map_picture
from assistant.web.exports import export_map
from assistant.web.fonts import covered, drawable
from assistant.web.references import cited_ids, number_references
from assistant.workflow import draft_map

GLYPHS = "£12.95 — “délai” €5 naïve Ærø"


@pytest.fixture(scope="module")
def drafted(sample: Journey) -> tuple[JourneyMap, dict[str, object]]:
    journey_map = draft_map(sample, title="Export check").journey_map
    records = {r.id: r for r in sample.store.get("default", cited_ids(journey_map))}
    return journey_map, records


def typographic_map() -> JourneyMap:
    cite = [Citation(evidence_id="gone-1", quote="the £12.95 fee — shown only at the end")]
    long_opportunity = "Show the full delivery cost, taxes and duties on the product page " * 4
    return JourneyMap(
        id="t",
        title="Réservation — “premium” journey",
        persona=Persona(name="Zoë, frequent flyer", summary="Pays in € and £ 😀"),
        stages=[
            Stage(
                name="booking",
                pain_points=[PainPoint(text=f"Fee of {GLYPHS} 😀", basis="data", evidence=cite)],
                opportunities=[Opportunity(text=long_opportunity.strip())],
                emotion=Emotion(score=-0.6, label="annoyed"),
            ),
            Stage(name="check-in", emotion=Emotion(score=0.3, label="relieved")),
        ],
    )


def glyph_image(text: str) -> bytes:
    face = map_picture.font(20)
    image = Image.new("L", (60, 40), 255)
    ImageDraw.Draw(image).text((5, 5), text, font=face, fill=0)
    return image.tobytes()


def test_the_export_font_draws_currency_dashes_quotes_and_accents() -> None:
    missing = glyph_image("\ue000")  # a private-use code: what a missing glyph looks like
    for ch in GLYPHS.replace(" ", ""):
        assert ord(ch) in covered(), f"{ch!r} has no glyph"
        assert glyph_image(ch) != missing, f"{ch!r} draws as the missing-glyph box"
    # What the font lacks (here a private-use code; most emoji beyond DejaVu's emoticons) is dropped.
    assert drawable("ok \ue000 done") == "ok done"


def test_the_png_draws_every_item_whole_in_the_font(monkeypatch: pytest.MonkeyPatch) -> None:
    drawn: list[str] = []
    original = ImageDraw.ImageDraw.text

    def keep(self: ImageDraw.ImageDraw, xy: object, text: str, *args: object, **kwargs: object) -> None:
        drawn.append(text)
        original(self, xy, text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ImageDraw.ImageDraw, "text", keep)
    journey_map = typographic_map()
    png = map_picture.to_png(journey_map)
    width, height = Image.open(io.BytesIO(png)).size
    assert height <= width, "the picture should fit a landscape slide"
    glyphs = covered()
    assert all(ord(ch) in glyphs for text in drawn for ch in text), "a character the font cannot draw"
    words = " ".join(drawn).split()
    for text in (journey_map.stages[0].opportunities[0].text, GLYPHS):
        for word in text.split():
            assert word in words, f"{word!r} was cut from the picture"
    assert "£12.95" in words and "€5" in words


def test_the_pdf_leads_with_the_persona_then_the_whole_grid_then_the_evidence(
    drafted: tuple[JourneyMap, dict[str, object]], tmp_path: Path
) -> None:
    import pypdfium2 as pdfium

    journey_map, records = drafted
    path = export_map(journey_map, "pdf", tmp_path, records)  # type: ignore[arg-type]
    pdf = pdfium.PdfDocument(str(path))
    pages = [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    persona = journey_map.persona
    assert persona.name in pages[0] and "Frustrations" in pages[0] and "Who they are" in pages[0]
    assert "Stage" not in pages[0]
    width, height = pdf[1].get_size()
    assert width > height, "the grid page is landscape"
    grid = pdf[1].render(scale=1).to_pil()
    assert grid.getbbox() is not None
    # The grid is one picture on its page; nothing of it is outside the page.
    objects = list(pdf[1].get_objects())
    assert len(objects) == 1
    left, bottom, right, top = objects[0].get_bounds()
    assert left >= 0 and bottom >= 0 and right <= width + 0.5 and top <= height + 0.5
    appendix = " ".join(pages[2:])
    assert "Evidence" in appendix and "[1] " in appendix
    references = number_references(journey_map, records)  # type: ignore[arg-type]
    first = min(references.values(), key=lambda r: r.number)
    assert first.source in appendix.replace("\r\n", " ").replace("\n", " ")
    assert all(len(i) != 24 or not all(c in "0123456789abcdef" for c in i) for i in appendix.split())


def test_the_pdf_keeps_the_typography(tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    path = export_map(typographic_map(), "pdf", tmp_path)
    text = pdfium.PdfDocument(str(path))[0].get_textpage().get_text_range()
    assert "Zoë, frequent flyer" in text and "€ and £" in text and "?" not in text


def test_the_html_export_holds_each_items_evidence(
    drafted: tuple[JourneyMap, dict[str, object]], tmp_path: Path
) -> None:
    journey_map, records = drafted
    page = export_map(journey_map, "html", tmp_path, records).read_text(encoding="utf-8")  # type: ignore[arg-type]
    assert "<script" not in page
    assert "href='#ev-0'" in page and "id='ev-0'" in page
    some = next(iter(records.values()))
    assert some.source in page  # type: ignore[attr-defined]
