"""Theme finding: taxonomy loading, sentence-level matching, emergent clusters, empty input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.analysis.themes import (
    CandidateRecord,
    SentenceVectors,
    ThemeFinder,
    load_taxonomy,
    record_units,
)
from assistant.embeddings import MiniLMEmbedder
from assistant.errors import ConfigError


@pytest.fixture(scope="module")
def finder(embedder: MiniLMEmbedder) -> ThemeFinder:
    return ThemeFinder(load_taxonomy(), SentenceVectors(embedder))


def candidates(
    embedder: MiniLMEmbedder, texts: dict[str, str], positive: set[str] = frozenset()
) -> list[CandidateRecord]:
    vectors = embedder.embed_documents(list(texts.values()))
    return [
        CandidateRecord(rid, text, vector, mixed=rid in positive)
        for (rid, text), vector in zip(texts.items(), vectors, strict=True)
    ]


# --- taxonomy loading ---------------------------------------------------------------------------


def test_bundled_taxonomy_is_well_formed() -> None:
    taxonomy = load_taxonomy()
    ids = [d.id for defs in taxonomy.themes.values() for d in defs]
    assert len(ids) == len(set(ids)), "theme ids must be unique across stages"
    for defs in taxonomy.themes.values():
        for definition in defs:
            assert 6 <= len(definition.examples) <= 20, definition.id
    assert taxonomy.no_problem


def test_unknown_taxonomy_names_the_bundled_ones() -> None:
    with pytest.raises(ConfigError, match="ecommerce"):
        load_taxonomy("no-such-taxonomy")


def test_broken_yaml_error_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("name: x\nthemes: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="broken.yaml"):
        load_taxonomy(str(path))


def test_invalid_taxonomy_error_names_the_file_and_field(tmp_path: Path) -> None:
    path = tmp_path / "invalid.yaml"
    path.write_text("name: x\nthemes:\n  support:\n    - id: a\n      label: A\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"(?s)invalid\.yaml.*examples") as info:
        load_taxonomy(str(path))
    assert str(path) in str(info.value)


# --- units --------------------------------------------------------------------------------------


def test_units_are_verbatim_customer_spans() -> None:
    text = (
        "Customer: hi\n"
        "Customer: The sofa is gorgeous but the refund for the cushions never came.\n"
        "Agent (Sam): Refunds can take up to 14 days. Can I take your order number?\n"
        "Customer: ok thanks"
    )
    units = record_units("r1", text)
    spans = [u.text for u in units]
    assert "The sofa is gorgeous but the refund for the cushions never came." in spans
    assert "the refund for the cushions never came." in spans  # the clause after "but"
    assert not any("Refunds can take" in s or "order number" in s for s in spans)  # staff lines
    assert all(text[u.start : u.end] == u.text for u in units)


def test_a_terse_record_is_matched_whole() -> None:
    assert [u.text for u in record_units("r1", "refund missing")] == ["refund missing"]


# --- taxonomy themes ----------------------------------------------------------------------------

SUPPORT = {
    "t1": "Hello,\n\nI sent the lamp back three weeks ago and the money still hasn't reached my account.\n\nRegards,\nAnn",
    "t2": "Still no refund for the rug I returned at the start of last month. Order 5521.",
    "t3": "Customer: hi\nCustomer: you confirmed you got my return on the 3rd but nothing has been refunded\nAgent (Jo): I'll chase it.",
    "t4": "Gorgeous towels, but I'm still waiting for my refund on the bath mat after a month.",
    "t5": "I rang four times and nobody picked up. Then the web chat closed before anyone answered.",
    "t6": "Your contact page only has an FAQ, there's no way to talk to a person.",
    "t7": "Thanks so much for your help, have a lovely day!",
    "t8": "The lady I spoke to was lovely and sorted it all out in minutes.",
    "t9": "What is your returns policy for sale items?",
}


def test_taxonomy_themes_count_the_right_records_with_verbatim_quotes(
    finder: ThemeFinder, embedder: MiniLMEmbedder
) -> None:
    records = candidates(embedder, SUPPORT, positive={"t4", "t7", "t8"})
    themes = {t.id: t for t in finder.find("support", 20, records)}

    refund = themes["slow_refund"]
    assert sorted(refund.record_ids) == ["t1", "t2", "t3", "t4"]  # t4: a mixed record's complaint clause
    assert refund.count == 4 and refund.share == pytest.approx(4 / 20)
    assert refund.origin == "taxonomy" and refund.opportunity
    reach = themes["hard_to_reach_support"]
    assert sorted(reach.record_ids) == ["t5", "t6"]

    claimed = {rid for t in themes.values() for rid in t.record_ids}
    assert not claimed & {"t7", "t8", "t9"}  # thanks, praise and a plain question name no problem
    for theme in themes.values():
        assert theme.quotes
        for quote in theme.quotes:
            assert quote.quote in SUPPORT[quote.evidence_id]
    # A quote is the sentence that names the problem, never the greeting or the sign-off.
    for quote in refund.quotes + reach.quotes:
        assert "refund" in quote.quote or "money" in quote.quote or quote.evidence_id in {"t5", "t6"}
        assert not quote.quote.startswith(("Hello", "Customer:", "Regards"))


@pytest.mark.xfail(
    strict=True,
    reason="int8 MiniLM (the default since session 19) moves the duvet question's best unit to a neighbouring "
    "theme (scores 0.392 vs 0.395, thresholds calibrated on float32 vectors); it joins with minilm-onnx. "
    "The prototype themes are replaced by discovered ones in issue 12",
)
def test_a_question_that_reveals_a_sizing_gap_is_a_sizing_theme(
    finder: ThemeFinder, embedder: MiniLMEmbedder
) -> None:
    texts = {
        "c1": "Will the corner sofa fit through a 75cm doorway? The page doesn't give the depth.",
        "c2": "Is the duvet cover a UK king or a US king? I can't tell from the listing.",
        "c3": "No height given for the bookcase, so I couldn't tell if it fits under my window.",
        "c4": "Lovely website, easy to browse.",
    }
    themes = {t.id: t for t in finder.find("consideration", 10, candidates(embedder, texts, positive={"c4"}))}
    assert sorted(themes["unclear_product_info"].record_ids) == ["c1", "c2", "c3"]
    assert all("c4" not in t.record_ids for t in themes.values())


# --- emergent themes ----------------------------------------------------------------------------


def test_an_unknown_complaint_cluster_becomes_an_emergent_theme(
    finder: ThemeFinder, embedder: MiniLMEmbedder
) -> None:
    texts = {
        "g1": "The gift message I typed was not printed anywhere in the parcel.",
        "g2": "I paid for gift wrapping and the present came in a plain brown box with no wrapping.",
        "g3": "Gift wrap option charged but the item was not gift wrapped at all.",
        "g4": "My personal gift note was missing from the package I sent to my mum.",
        "g5": "The gift wrapping was torn and the ribbon missing when it arrived.",
        "g6": "No gift message card included even though I wrote one at checkout.",
    }
    themes = finder.find("use", 40, candidates(embedder, texts))
    emergent = [t for t in themes if t.origin == "emergent"]
    assert emergent, [(t.id, t.record_ids) for t in themes]
    biggest = max(emergent, key=lambda t: t.count)
    assert biggest.count >= 4
    assert biggest.label.startswith("Other")
    for quote in biggest.quotes:
        assert quote.quote in texts[quote.evidence_id]


def test_positive_records_never_seed_emergent_themes(finder: ThemeFinder, embedder: MiniLMEmbedder) -> None:
    texts = {
        f"p{i}": f"Absolutely love my new {thing}, it looks wonderful."
        for i, thing in enumerate(["lamp", "rug", "mirror", "vase", "throw", "cushion"])
    }
    themes = finder.find("use", 20, candidates(embedder, texts, positive=set(texts)))
    assert themes == []


# --- empty input --------------------------------------------------------------------------------


def test_no_candidates_give_no_themes(finder: ThemeFinder) -> None:
    assert finder.find("support", 0, []) == []
    assert finder.find("support", 12, []) == []


def test_a_stage_without_taxonomy_themes_still_finds_emergent_ones(
    embedder: MiniLMEmbedder,
) -> None:
    finder = ThemeFinder(load_taxonomy(), SentenceVectors(embedder, {}))
    assert finder.find("no-such-stage", 5, []) == []
    empty_vectors = np.zeros((0, 384), dtype=np.float32)
    assert SentenceVectors(embedder).get([]).shape == empty_vectors.shape


# --- complaint stages, voices, mixed records --------------------------------------------------------


def test_a_known_complaint_moves_its_record_to_the_complaints_stage(
    finder: ThemeFinder, embedder: MiniLMEmbedder
) -> None:
    from assistant.analysis.digest import AnalysedRecord, restage_by_complaint

    texts = {
        "r1": "Every other video on my phone is one of your adverts now, for things I already bought.",
        "r2": "The tracking page hasn't updated in four days.",
        "r3": "Lovely chopping board, very solid.",
    }
    vectors = embedder.embed_documents(list(texts.values()))
    records = [
        AnalysedRecord(rid, text, "review", "reviews.csv", None, {}, vector, stage="use")
        for (rid, text), vector in zip(texts.items(), vectors, strict=True)
    ]
    moved = restage_by_complaint(records, finder.taxonomy, finder.vectors, {"awareness", "delivery", "use"})
    assert {r.id: r.stage for r in records} == {"r1": "awareness", "r2": "delivery", "r3": "use"}
    assert moved == 2
    # A stage the stage set does not have is never assigned.
    records[0].stage = "use"
    restage_by_complaint(records, finder.taxonomy, finder.vectors, {"use"})
    assert records[0].stage == "use"


def test_an_interview_counts_once_however_many_passages_match(
    finder: ThemeFinder, embedder: MiniLMEmbedder
) -> None:
    texts = {
        "i1": "Helen: The refund took six weeks to come through.",
        "i2": "Helen: And I still had to chase the refund, twice.",
        "t1": "Still waiting for my refund after a month.",
        "t2": "Thanks, all sorted.",
    }
    vectors = embedder.embed_documents(list(texts.values()))
    records = [
        CandidateRecord(rid, text, vector, voice="interview_p05.md" if rid.startswith("i") else "")
        for (rid, text), vector in zip(texts.items(), vectors, strict=True)
    ]
    refund = next(t for t in finder.find("support", 3, records) if t.id == "slow_refund")
    assert sorted(refund.record_ids) == ["i1", "i2", "t1"]  # every passage stays citable
    assert refund.count == 2 and refund.share == pytest.approx(2 / 3)


def test_praise_in_a_positive_record_is_no_complaint_but_its_contrast_clause_is(
    finder: ThemeFinder, embedder: MiniLMEmbedder
) -> None:
    texts = {
        "p1": "Parcel arrived the day after I ordered. Impressed.",
        "p2": "Love the towels but the Plus bonus points weren't added this month.",
    }
    records = candidates(embedder, texts, positive={"p1", "p2"})
    themes = {t.id: t for s in ("delivery", "loyalty") for t in finder.find(s, 10, records)}
    assert "late_delivery" not in themes or "p1" not in themes["late_delivery"].record_ids
    assert themes["points_not_credited"].record_ids == ["p2"]
    assert themes["points_not_credited"].quotes[0].quote == "the Plus bonus points weren't added this month."
