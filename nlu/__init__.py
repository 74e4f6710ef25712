"""Rasa NLU components for Japanese: Sudachi tokenization and knowledge-base entities."""
