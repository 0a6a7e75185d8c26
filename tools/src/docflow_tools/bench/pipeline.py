"""Pipeline benchmark: the corpus's NDAs through every service at a fixed offered rate.

Run with ``make bench`` (``python -m docflow_tools.bench.pipeline [--corpus DIR]``). Prints
throughput, end-to-end latency percentiles and where the time went (handler seconds per stage,
and the rest: waiting in topics), after one warm-up document. Asserts nothing.
"""

import argparse
import io
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium  # type: ignore[import-untyped]

from docflow_testing.broker import provide_broker
from docflow_tools.corpus import choose_corpus
from docflow_tools.stack import Stack, local_stack

QUIET = {"DOCFLOW_LOG_LEVEL": "WARNING"}
_TAIL = 5


def offer(stack: Stack, files: list[Path], rate: float) -> dict[str, float]:
    """Post one file every 1/rate seconds, on schedule (open loop); document id -> post time."""
    posted: dict[str, float] = {}
    start = time.monotonic()
    for i, path in enumerate(files):
        time.sleep(max(0.0, start + i / rate - time.monotonic()))
        posted[stack.submit(path, document_type="nda")] = time.time()
    return posted


def warm_up(stack: Stack, path: Path) -> None:
    """One document through every stage before the clock starts: the first seconds of a fresh
    stack go to consumer groups joining and parser pools starting, not to documents."""
    # Saved again by pdfium: the same pages in other bytes, so that the first measured
    # document is not taken for a duplicate of this one.
    resaved = io.BytesIO()
    pdfium.PdfDocument(path).save(resaved)
    response = stack.post(f"warm-up-{path.name}", resaved.getvalue(), {"document_type": "nda"})
    response.raise_for_status()
    stack.settle(str(response.json()["id"]), timeout=600)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def report(documents: list[dict[str, Any]], posted: dict[str, float], rate: float) -> None:
    done = [d for d in documents if d["status"] == "stored"]
    ends = {d["id"]: datetime.fromisoformat(d["updated_at"]).timestamp() for d in done}
    latencies = [ends[i] - posted[i] for i in ends]
    span = max(ends.values()) - min(posted.values())
    statuses = {
        s: sum(d["status"] == s for d in documents) for s in {d["status"] for d in documents}
    }
    print(f"\n{len(documents)} documents offered at {rate:.2f}/s -> {dict(statuses)}")
    print(f"  throughput      {len(done) / span:6.2f} documents/s")
    for p in (50, 95, 99):
        print(f"  latency p{p:<3d}   {percentile(latencies, p):6.2f} s")
    print("  per stage (handler seconds: mean / p95)")
    for stage in ("extract", "validate", "enrich", "store"):
        times = [d["result"]["timings"][stage] for d in done if stage in d["result"]["timings"]]
        if times:
            print(f"    {stage:9s} {statistics.mean(times):7.3f} / {percentile(times, 95):7.3f}")
    handled = [sum(d["result"]["timings"].values()) for d in done]
    waiting = statistics.mean(latencies) - statistics.mean(handled)
    print(f"    {'in topics':9s} {waiting:7.3f} (mean latency minus mean handler time)")
    _slowest(done, ends, posted)


def _slowest(done: list[dict[str, Any]], ends: dict[str, float], posted: dict[str, float]) -> None:
    """The tail in detail: when each slow document was posted and where its time went."""
    start = min(posted.values())
    print("  slowest (posted at, latency: handler seconds per stage)")
    for d in sorted(done, key=lambda d: posted[d["id"]] - ends[d["id"]])[:_TAIL]:
        timings = " ".join(f"{k} {v:.2f}" for k, v in d["result"]["timings"].items())
        at, latency = posted[d["id"]] - start, ends[d["id"]] - posted[d["id"]]
        print(f"    +{at:5.1f} s  {latency:5.2f} s: {timings}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rate", type=float, default=1.0, help="documents offered per second")
    parser.add_argument("--documents", type=int, default=60)
    parser.add_argument("--corpus", type=Path, default=None, help="folder with kleister-nda/")
    args = parser.parse_args()
    files = sorted((choose_corpus(args.corpus) / "kleister-nda").glob("*.pdf"))[: args.documents]
    with tempfile.TemporaryDirectory() as tmp, provide_broker(Path(tmp)) as broker:
        root = Path(tmp)
        with local_stack(broker.bootstrap, root, {"bench": "bench-key"}, QUIET) as stack:
            warm_up(stack, files[0])
            posted = offer(stack, files, args.rate)
            documents = [stack.settle(i, timeout=600) for i in posted]
        report(documents, posted, args.rate)


if __name__ == "__main__":
    main()
