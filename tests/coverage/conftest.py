"""The trained model for the slow end-to-end run, as the end-to-end tests get it."""

from tests.e2e.conftest import trained_model  # noqa: F401  (trains models/current.tar.gz if missing)
