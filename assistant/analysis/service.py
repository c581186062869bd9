"""Analysis of a workspace: tagged records and digests, cached while the workspace is unchanged."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from assistant.analysis.digest import (
    AnalysedRecord,
    Digest,
    SentenceCache,
    build_digest,
    load_records,
    restage_by_complaint,
    tag_records,
)
from assistant.analysis.stages import StageSet, StageTagger, load_stage_set
from assistant.analysis.themes import SentenceVectors, Taxonomy, load_taxonomy
from assistant.store import EvidenceStore

RecordFilter = Callable[[AnalysedRecord], bool]


class Analyzer:
    """Analyses one workspace with one stage set and theme taxonomy."""

    def __init__(
        self,
        store: EvidenceStore,
        workspace: str,
        tables: Callable[[], list[Path]],
        stage_set: StageSet | None = None,
        taxonomy: Taxonomy | None = None,
    ) -> None:
        self.store = store
        self.workspace = workspace
        self.tables = tables
        self.stage_set = stage_set or load_stage_set()
        # The bundled taxonomy is e-commerce's; other stage sets get themes by discovery alone.
        self.taxonomy = taxonomy or (
            load_taxonomy() if self.stage_set.name == "ecommerce" else Taxonomy(name="none", themes={})
        )
        self.tagger = StageTagger(self.stage_set, store.embedder)
        self._cache = SentenceCache(store.settings.workspace_dir(workspace) / "sentence_vectors.npz")
        self._records: tuple[int, list[AnalysedRecord]] | None = None
        self._digest: tuple[int, Digest] | None = None

    def records(self) -> list[AnalysedRecord]:
        """Return the workspace's records, tagged; re-read when the record count changes."""
        count = self.store.count(self.workspace)
        if self._records is None or self._records[0] != count:
            records = load_records(self.store, self.workspace)
            tag_records(records, self.tagger)
            stage_ids = {s.id for s in self.stage_set.stages}
            restage_by_complaint(records, self.taxonomy, self.sentence_vectors(), stage_ids)
            self._cache.save()
            self._records = (count, records)
        return self._records[1]

    def sentence_vectors(self) -> SentenceVectors:
        """Sentence vectors backed by the workspace's on-disk cache."""
        return SentenceVectors(self.store.embedder, self._cache.vectors)

    def save_cache(self) -> None:
        """Write sentence vectors computed since the last save."""
        self._cache.save()

    def digest(
        self,
        record_filter: RecordFilter | None = None,
        scope: str = "",
        progress: Callable[[str], None] | None = None,
    ) -> Digest:
        """Digest the workspace, or the records a filter keeps (e.g. one persona's).

        The whole workspace's digest is kept while its record count is unchanged: every answer and
        review reads it, and building it (themes for every stage) costs most of a request.
        """
        records = self.records()
        whole = record_filter is None and not scope
        if whole and self._digest is not None and self._digest[0] == len(records):
            return self._digest[1]
        if record_filter is not None:
            records = [r for r in records if record_filter(r)]
        digest = build_digest(
            self.workspace,
            records,
            self.stage_set,
            self.taxonomy,
            self.sentence_vectors(),
            funnel_tables=self.tables(),
            scope=scope,
            progress=progress,
        )
        self._cache.save()
        if whole:
            self._digest = (len(records), digest)
        return digest
