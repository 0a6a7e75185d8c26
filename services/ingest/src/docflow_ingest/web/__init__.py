"""The review page: a person reviews documents that failed validation (``/review``)."""
