"""The program row: declared once, for the catalogue (defaults), the build (writing it) and
the knowledge base (reading it back)."""

from __future__ import annotations

import json

# Columns of the ``programs`` table a program's own sources give (the catalogue reads
# them, the build writes them as they are, the knowledge base reads them back), with
# each one's value when no source gives it. JSON columns hold lists and mappings.
PROGRAM_FIELDS: dict[str, object] = {
    "name": None,
    "category": None,
    "audience": None,
    "sole_recipient": False,
    "english": {},
    "aggregate": False,
    "aggregate_count": None,
    "detail_only": False,
    "new_mark": None,
    "new_evidence": None,
    "purpose": None,
    "content": None,
    "eligibility": None,
    "covered_costs": None,
    "examples": [],
    "points": [],
    "extra": {},
    "part_of": None,
    "related": None,
    "repeats": [],
    "detail_pages": None,
    "detail_section": None,
    # a renamed copy made for the scale benchmark (knowledge/synthetic.py), never a real program
    "synthetic": False,
}
JSON_FIELDS = ("examples", "points", "extra", "part_of", "related", "repeats", "english")
# Columns the build derives (from the listings and the contact blocks), not the sources.
DERIVED_FIELDS = ("id", "source_id", "topic_id", "summary", "pages", "contact_id")


def program_defaults() -> dict:
    """A program's fields before its sources fill them (fresh lists and mappings)."""
    return {key: (type(value)() if isinstance(value, (list, dict)) else value) for key, value in PROGRAM_FIELDS.items()}


def encode_program(fields: dict) -> dict:
    """A program's own fields as the table stores them (JSON columns as text, empty as NULL)."""
    row = {}
    for key in PROGRAM_FIELDS:
        value = fields.get(key)
        if key in JSON_FIELDS:
            value = None if value in (None, [], {}) else json.dumps(value, ensure_ascii=False)
        row[key] = value
    return row


def decode_program(row: dict) -> dict:
    """A stored program row's own fields as Python values."""
    fields = {}
    for key, default in PROGRAM_FIELDS.items():
        value = row.get(key)
        if key in JSON_FIELDS:
            value = json.loads(value) if value else (type(default)() if isinstance(default, (list, dict)) else None)
        elif isinstance(default, bool):
            value = bool(value)
        fields[key] = value
    return fields
