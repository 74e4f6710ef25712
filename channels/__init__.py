"""Rasa input channels of this project (REST, socket.io and LINE), and what all channels share.

Importing the package also installs :mod:`channels.action_validation` into Rasa (a per-turn
cost of Rasa's own that this project removes), because only a Rasa server imports it.
"""

from channels import action_validation

action_validation.install()
