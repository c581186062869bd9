"""Process-wide switches that keep every run offline: no telemetry, no hub downloads."""

import os

# Each library below phones home unless told not to; set before any of them is imported.
OFFLINE_ENV = {
    "GRADIO_ANALYTICS_ENABLED": "False",
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "ORT_DISABLE_TELEMETRY": "1",
    "ANONYMIZED_TELEMETRY": "False",
    "TOKENIZERS_PARALLELISM": "false",
}


def apply_offline_defaults() -> None:
    """Set the offline switches unless the user already set them explicitly."""
    for key, value in OFFLINE_ENV.items():
        os.environ.setdefault(key, value)
