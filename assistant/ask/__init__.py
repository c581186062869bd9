"""Answers to questions: drop-off (where, who, why), what customers say, segment comparisons."""
