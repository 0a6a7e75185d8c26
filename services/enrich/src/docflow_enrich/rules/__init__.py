"""The local backend's rules: classification, entities and summary, without any model."""
