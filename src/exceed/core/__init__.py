"""Pieces every domain app shares, below all of them: measure definitions, the workflow mechanism,
the import mechanism and the registry of periodic work. Nothing here imports a domain app."""
