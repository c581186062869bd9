"""The LLM boundary: one model factory, JSON calls with validation, retries and clear errors."""
