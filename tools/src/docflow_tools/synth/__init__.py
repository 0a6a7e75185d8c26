"""Generated documents with gold values: evaluation sets nobody tuned the rules on."""
