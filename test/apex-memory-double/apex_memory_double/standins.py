"""Deterministic stand-ins for Docling (chunking), the LLM (entities) and OpenAI embeddings: no network, no model.

The same text always gives the same chunks, entities and vectors, so a test can compute what a document leaves.
"""

from __future__ import annotations

import hashlib
import math
import random
import re
import uuid

EMBEDDING_DIMENSIONS = 1536
ENTITY_TYPE = "Concept"

# Capitalised words (an upper-case letter followed by lower-case ones), three letters or more.
_CAPITALISED = re.compile(r"\b[A-Z][a-z]{2,}\b")
# Sentence openers that are capitalised only because they start a sentence.
_NOT_ENTITIES = frozenset(
    "The This That These Those There Then When Where What Which While With Without From Into Onto Over Under "
    "And But For Nor Yet Each Every Some Many Most Such Its Our Their Your His Her Here After Before Also".split()
)
_ENTITY_NAMESPACE = uuid.UUID("6f1c8d52-8c5e-4a3e-9a57-1b0d1a3e5c21")


def chunk_paragraphs(content: str) -> list[dict]:
    """Paragraphs (blocks separated by blank lines), in order: [{"text", "index"}]."""
    paragraphs = [block.strip() for block in re.split(r"\n\s*\n", content)]
    return [{"text": text, "index": index} for index, text in enumerate(p for p in paragraphs if p)]


def extract_entities(content: str) -> list[dict]:
    """Distinct capitalised words in order of first appearance: [{"uuid", "name", "entity_type"}]."""
    seen: dict[str, None] = {}
    for word in _CAPITALISED.findall(content):
        if word not in _NOT_ENTITIES:
            seen.setdefault(word, None)
    return [{"uuid": entity_uuid(name, ENTITY_TYPE), "name": name, "entity_type": ENTITY_TYPE} for name in seen]


def entity_uuid(name: str, entity_type: str) -> str:
    """One entity per (type, name) across documents, as the graph deduplicates them."""
    return str(uuid.uuid5(_ENTITY_NAMESPACE, f"{entity_type}:{name.lower()}"))


def embed(text: str) -> list[float]:
    """A unit vector of 1536 dimensions seeded by the text's SHA-256 (rounded to keep payloads small)."""
    generator = random.Random(int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest(), "big"))
    vector = [generator.gauss(0.0, 1.0) for _ in range(EMBEDDING_DIMENSIONS)]
    norm = math.sqrt(sum(value * value for value in vector)) or 1.0
    return [round(value / norm, 6) for value in vector]
