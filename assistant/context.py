"""The assembled product: settings, store, retriever and ingesters, built once and injected."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.analysis.service import Analyzer
from assistant.analysis.stages import load_stage_set
from assistant.embeddings import Embedder, as_embedder, get_embedder
from assistant.ingest.pipeline import Ingester
from assistant.llm.chat import model_label
from assistant.llm.policy import CallPolicy
from assistant.offline import apply_offline_defaults
from assistant.retrieval import Retriever
from assistant.settings import Settings, load_settings
from assistant.store import EvidenceStore

if TYPE_CHECKING:
    from langchain_core.callbacks import BaseCallbackHandler
    from langchain_core.embeddings import Embeddings
    from langchain_core.language_models import BaseChatModel

    from assistant.langchain_retriever import EvidenceRetriever


@dataclass
class Journey:
    """Everything a surface (CLI, app, evals) needs, with each part swappable for tests."""

    settings: Settings
    store: EvidenceStore
    retriever: Retriever
    _ingesters: dict[str, Ingester] = field(default_factory=dict)
    _analyzers: dict[tuple[str, str], Analyzer] = field(default_factory=dict)
    model: BaseChatModel | None = None  # any LangChain chat model; else built from the settings
    retry_policy: CallPolicy | None = None  # how calls are retried and bounded; else from the settings
    callbacks: list[BaseCallbackHandler] = field(default_factory=list)  # LangChain callbacks for every chain

    @classmethod
    def open(
        cls,
        settings: Settings | None = None,
        embedder: Embedder | Embeddings | None = None,
        client: Any | None = None,
        model: BaseChatModel | None = None,
    ) -> Journey:
        """Build the product from settings (read from the environment when not given)."""
        apply_offline_defaults()
        settings = settings or load_settings()
        store = EvidenceStore(settings, as_embedder(embedder) if embedder else get_embedder(settings), client)
        return cls(settings=settings, store=store, retriever=Retriever(store), model=model)

    def as_retriever(self, workspace: str | None = None, k: int = 10) -> EvidenceRetriever:
        """The workspace's hybrid search as a LangChain BaseRetriever."""
        from assistant.langchain_retriever import EvidenceRetriever

        name = workspace or self.settings.workspace
        return EvidenceRetriever(retriever=self.retriever, workspace=name, k=k)

    def ingester(self, workspace: str | None = None) -> Ingester:
        """Return the ingester of a workspace (the default one when not named)."""
        name = workspace or self.settings.workspace
        if name not in self._ingesters:
            self._ingesters[name] = Ingester(self.store, name)
        return self._ingesters[name]

    def analyzer(self, workspace: str | None = None, stage_set: str | None = None) -> Analyzer:
        """Return the analyzer of a workspace (stage, sentiment, themes, digests) for a stage set.

        The stage set is JOURNEY_STAGES unless one is named (a bundled set or a YAML path).
        """
        name = workspace or self.settings.workspace
        stages = stage_set or self.settings.stage_set
        if (name, stages) not in self._analyzers:
            journal = self.ingester(name).journal
            self._analyzers[(name, stages)] = Analyzer(
                self.store,
                name,
                lambda: [Path(str(t["path"])) for t in journal.tables()],
                stage_set=load_stage_set(stages),
            )
        return self._analyzers[(name, stages)]

    @property
    def llm_enabled(self) -> bool:
        """Whether the LLM chains run (a model was injected, or one is configured)."""
        return self.model is not None or self.settings.llm_configured

    def chat_model(self) -> BaseChatModel:
        """Return the chat model: the injected one, or one built from the settings."""
        if self.model is None:
            from assistant.llm.chat import load_chat_model

            self.model = load_chat_model(self.settings)
        return self.model

    @property
    def policy(self) -> CallPolicy:
        """How model calls are made: the injected policy, or JSON mode and timeout from the settings."""
        if self.retry_policy is not None:
            return self.retry_policy
        return CallPolicy(json_mode=self.settings.llm_json_mode, timeout=self.settings.llm_timeout)

    @property
    def engine(self) -> str:
        """Which engine answers: the name of the model actually used, or 'offline'."""
        if self.model is not None:
            return model_label(self.model)
        return self.settings.chat_model if self.llm_enabled else "offline"
