"""Extractive summary: the few sentences that best represent the document, in their order.

A sentence scores by the TF-IDF weight of its words against the document, where the
"documents" for IDF are the document's own sentences: words frequent in the text but not in
every sentence mark what the document is about. Long sentences are not favoured (the score is
an average), and very short or very long ones are skipped.
"""

import math
import re
from collections import Counter

from docflow_text.clean import clean, flatten, sentences

_WORD = re.compile(r"[a-zà-ÿ]{3,}")
_STOP_WORDS = (
    "the and for that this with shall such any all are not from have has been will other"
    " its which may upon under into each their they them than then there these those was"
    " were hereof herein hereto thereof party parties agreement"
)
_STOP = frozenset(_STOP_WORDS.split())
_MIN_WORDS, _MAX_WORDS = 6, 80
_MAX_SENTENCES_READ = 400


def summarize(text: str, max_sentences: int = 3) -> str:
    """Up to ``max_sentences`` sentences of ``text``, best-scoring, kept in reading order."""
    candidates = [s for s in sentences(flatten(clean(text)))[:_MAX_SENTENCES_READ] if _fits(s)]
    if not candidates:
        return ""
    bags = [_words(sentence) for sentence in candidates]
    idf = _idf(bags)
    weights = Counter(word for bag in bags for word in bag)
    scores = [_score(bag, weights, idf) for bag in bags]
    best = sorted(range(len(candidates)), key=lambda i: scores[i], reverse=True)[:max_sentences]
    return " ".join(candidates[i] for i in sorted(best))


def _fits(sentence: str) -> bool:
    return _MIN_WORDS <= len(sentence.split()) <= _MAX_WORDS


def _words(sentence: str) -> list[str]:
    return [w for w in _WORD.findall(sentence.lower()) if w not in _STOP]


def _idf(bags: list[list[str]]) -> dict[str, float]:
    seen = Counter(word for bag in bags for word in set(bag))
    return {word: math.log(1 + len(bags) / count) for word, count in seen.items()}


def _score(bag: list[str], weights: Counter[str], idf: dict[str, float]) -> float:
    if not bag:
        return 0.0
    return sum(math.log(1 + weights[word]) * idf[word] for word in bag) / len(bag)
