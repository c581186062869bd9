"""Stage sets (loading, validation) and the stage tagger on obvious and off-topic texts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from assistant.analysis.stages import (
    StageAssignment,
    StageSet,
    StageTagger,
    bundled_stage_sets,
    load_stage_set,
    stem_tokens,
)
from assistant.embeddings import MiniLMEmbedder
from assistant.errors import ConfigError

OBVIOUS = {
    "my parcel never arrived": "delivery",
    "card declined at checkout": "purchase",
    "saw your ad on instagram": "awareness",
    "refund still not here after returning the lamp": "support",
    "the chair wobbles after a week": "use",
}


def _user_set(**overrides: object) -> dict:
    stages = [
        {
            "id": "browse",
            "name": "Browse",
            "description": "The customer looks around the shop.",
            "examples": ["Just looking at the sofas", "Can I see it in blue?"],
            "keywords": ["browse"],
            "owner": "Merchandising",
            "kpis": [{"name": "Product view rate", "definition": "Views over visits", "funnel_from": "visit",
                      "funnel_to": "product"}],
        },
        {
            "id": "pay",
            "name": "Pay",
            "description": "The customer pays for the order.",
            "examples": ["My card was declined", "Where do I enter the voucher?"],
            "owner": "E-commerce/Digital",
        },
    ]
    data: dict = {"name": "mine", "stages": stages}
    data.update(overrides)
    return data


def _write(tmp_path: Path, data: object, name: str = "stages.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def tagger(embedder: MiniLMEmbedder) -> StageTagger:
    return StageTagger(load_stage_set(), embedder)


# --- stage sets ---------------------------------------------------------------------------------


def test_bundled_sets_load() -> None:
    assert {"ecommerce", "saas"} <= set(bundled_stage_sets())
    ecommerce = load_stage_set()
    assert ecommerce.name == "ecommerce"
    assert ecommerce.ids == ["awareness", "consideration", "purchase", "delivery", "use", "support", "loyalty"]
    saas = load_stage_set("saas")
    assert "billing" in saas.ids and "renewal" in saas.ids
    for stage_set in (ecommerce, saas):
        for stage in stage_set.stages:
            assert 10 <= len(stage.examples) <= 20, stage.id
            assert stage.owner and stage.description and stage.kpis
            for kpi in stage.kpis:
                assert kpi.funnel_from in (None, *stage_set.step_table().steps)
                assert kpi.funnel_to in (None, *stage_set.step_table().steps)


def test_bundled_funnel_kpis_cover_the_checkout() -> None:
    purchase = load_stage_set().get("purchase")
    assert ("checkout", "order") in {(k.funnel_from, k.funnel_to) for k in purchase.kpis}


def test_user_yaml_loads_by_path(tmp_path: Path) -> None:
    stage_set = load_stage_set(str(_write(tmp_path, _user_set())))
    assert isinstance(stage_set, StageSet)
    assert stage_set.ids == ["browse", "pay"]
    assert stage_set.get("browse").kpis[0].funnel_to == "product"
    assert load_stage_set(_write(tmp_path, _user_set(), "other.yml")).name == "mine"  # a Path works too


def test_missing_field_names_file_and_field(tmp_path: Path) -> None:
    data = _user_set()
    del data["stages"][1]["owner"]
    path = _write(tmp_path, data)
    with pytest.raises(ConfigError) as info:
        load_stage_set(str(path))
    message = str(info.value)
    assert str(path) in message
    assert "stages[1].owner" in message and "required" in message.lower()


def test_duplicate_id_is_named(tmp_path: Path) -> None:
    data = _user_set()
    data["stages"][1]["id"] = "browse"
    with pytest.raises(ConfigError, match=r"duplicate stage id 'browse'"):
        load_stage_set(str(_write(tmp_path, data)))


def test_unknown_field_and_bad_funnel_step_are_named(tmp_path: Path) -> None:
    data = _user_set()
    data["stages"][0]["colour"] = "blue"
    with pytest.raises(ConfigError, match=r"stages\[0\]\.colour"):
        load_stage_set(str(_write(tmp_path, data)))
    data = _user_set()
    data["stages"][0]["kpis"][0]["funnel_to"] = "basket"
    with pytest.raises(ConfigError, match=r"stages\[0\]\.kpis\[0\]\.funnel_to.*unknown funnel step 'basket'"):
        load_stage_set(str(_write(tmp_path, data)))


def test_broken_yaml_missing_file_and_unknown_name(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: x\nstages: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_stage_set(str(broken))
    with pytest.raises(ConfigError, match="not found"):
        load_stage_set(str(tmp_path / "absent.yaml"))
    with pytest.raises(ConfigError, match="unknown stage set 'retail'.*ecommerce"):
        load_stage_set("retail")
    with pytest.raises(ConfigError, match="expected a mapping"):
        load_stage_set(str(_write(tmp_path, ["a", "list"])))


def test_stemming_matches_inflections() -> None:
    assert stem_tokens("Delivered parcels") == stem_tokens("delivered parcel")
    assert stem_tokens("didn't arrive") == ["didnt", "arriv"]


# --- tagger -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "stage"), sorted(OBVIOUS.items()))
def test_obvious_texts(tagger: StageTagger, text: str, stage: str) -> None:
    (assignment,) = tagger.tag([text])
    assert assignment.stage == stage
    assert 0 < assignment.confidence <= 1


@pytest.mark.parametrize("text", ["lovely weather today", "🙂", "", "   "])
def test_abstains_off_topic_and_empty(tagger: StageTagger, text: str) -> None:
    (assignment,) = tagger.tag([text])
    assert assignment.stage is None


def test_checkout_delivery_cost_is_purchase_not_delivery(tagger: StageTagger) -> None:
    (assignment,) = tagger.tag(["the delivery charge only showed up on the last page of checkout"])
    assert assignment.stage == "purchase"


def test_vectors_path_equals_texts_path(tagger: StageTagger, embedder: MiniLMEmbedder) -> None:
    texts = [*OBVIOUS, "lovely weather today", "I'd recommend you to anyone", ""]
    vectors = embedder.embed_documents(texts)
    from_texts = tagger.tag(texts)
    from_vectors = tagger.tag(texts, vectors=vectors)
    assert [a.stage for a in from_texts] == [a.stage for a in from_vectors]
    np.testing.assert_allclose([a.confidence for a in from_texts], [a.confidence for a in from_vectors], atol=1e-3)


def test_vectors_are_not_re_embedded(embedder: MiniLMEmbedder) -> None:
    class Counting:
        name = "minilm"

        def __init__(self) -> None:
            self.calls: list[int] = []

        def embed_documents(self, texts: list[str]) -> np.ndarray:
            self.calls.append(len(texts))
            return embedder.embed_documents(texts)

        def embed_query(self, text: str) -> np.ndarray:
            return embedder.embed_query(text)

    counting = Counting()
    tagger = StageTagger(load_stage_set(), counting)
    tagger.prepare()
    before = len(counting.calls)
    texts = list(OBVIOUS)
    tagger.tag(texts, vectors=embedder.embed_documents(texts))
    assert len(counting.calls) == before


def test_kinds_and_shapes(tagger: StageTagger) -> None:
    assert tagger.tag([]) == []
    with pytest.raises(ValueError, match="kinds"):
        tagger.tag(["a parcel"], kinds=["ticket", "review"])
    with pytest.raises(ValueError, match="one vector per text"):
        tagger.tag(["a parcel", "a card"], vectors=np.zeros((1, 384), dtype=np.float32))
    assignments = tagger.tag(list(OBVIOUS), kinds=["ticket"] * len(OBVIOUS))
    assert all(isinstance(a, StageAssignment) for a in assignments)


def test_kind_prior_breaks_ties(embedder: MiniLMEmbedder) -> None:
    text = ["saw your ad on instagram"]
    pushed = StageTagger(load_stage_set(), embedder, kind_prior={"ticket": {"loyalty": 5.0}})
    assert pushed.tag(text, kinds=["ticket"])[0].stage == "loyalty"
    assert pushed.tag(text, kinds=["review"])[0].stage == "awareness"


def test_user_stage_set_tags(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    tagger = StageTagger(load_stage_set(str(_write(tmp_path, _user_set()))), embedder)
    assert [a.stage for a in tagger.tag(["my card got declined", "browsing the sofas"])] == ["pay", "browse"]


def test_saas_set_tags(embedder: MiniLMEmbedder) -> None:
    tagger = StageTagger(load_stage_set("saas"), embedder)
    texts = ["we were charged for seats we removed", "the free trial ended before we could test it"]
    assert [a.stage for a in tagger.tag(texts)] == ["billing", "evaluation"]
