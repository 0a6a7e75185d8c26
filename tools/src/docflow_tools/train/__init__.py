"""``make train``: the field scorer of :mod:`docflow_text.fields`, fitted on development
documents."""
