"""``make chaos``: nothing lost, nothing stuck, shown from the outside.

``python -m docflow_tools.chaos`` starts ``make run`` (``python -m docflow_tools.run``) in a
state directory and on ports of its own, posts documents at a steady rate while it kills
stages, the broker and the whole ``make run``, and makes the enrichment backend fail for a
share of the documents; then it waits for the pipeline to settle and checks, through the API,
the webhooks and the dead-letter topics, that every accepted document ended where it should,
once. The modules, in the order a run uses them:

- ``launcher``: ``make run`` as a process of its own session, its ports and environment;
- ``faults`` and ``faulty_enrich``: which documents the enrichment fails, and the enrich
  service that fails them (``make run`` starts it in place of ``docflow_enrich``);
- ``documents``, ``client``, ``uploads``, ``reviews``, ``receiver``: what a user does and gets;
- ``schedule``, ``injector``, ``processes``: the faults, planned from the seed and carried out;
- ``dead_letters``, ``observe``, ``checks``, ``report``: what is seen, asserted and printed;
- ``session``: one run from start to report.
"""
