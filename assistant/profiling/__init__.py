"""Table profiling: the role of every column of an ingested table, shown, overridable and kept."""
