"""Reading documents' text: what validate checks and enrich extracts, read one way.

One module per thing read: :mod:`.clean` (one spelling of the text), :mod:`.dates`,
:mod:`.money` (with :mod:`.money_tokens`), :mod:`.parties` (with :mod:`.preamble`,
:mod:`.signatures` and :mod:`.names`), :mod:`.doctype` (the document's type) and :mod:`.labels`
(the words before a field's value). Only the standard library: the services turn what these
return into their event models.
"""
