"""Journey maps: the data model, drafting, storage and rendering."""
