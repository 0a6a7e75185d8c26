"""The local backend's own rules, built on docflow_text: entities and summary, no model."""
