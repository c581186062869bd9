"""Quality evaluations: datasets with expected outcomes, metrics, and a runner with thresholds."""
