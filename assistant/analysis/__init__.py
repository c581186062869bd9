"""Evidence analysis: stages, sentiment, themes, segments."""
