"""The four stores the double writes, one module each: write(doc) and rollback(doc)."""
