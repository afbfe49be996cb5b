"""apex-memory contract double: a stand-in for the Apex Memory team's Python ingestion worker (S3 era), for tests."""
