"""Rasa input channels of this project (LINE), and what all channels share."""
