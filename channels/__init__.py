"""Rasa input channels of this project (REST, socket.io and LINE), and what all channels share.

Importing the package also installs into Rasa (only a Rasa server imports it):
:mod:`channels.action_validation` (a per-turn cost of Rasa's own that this project
removes), :mod:`channels.payloads` (``/intent`` payloads only from the bot's own buttons),
:mod:`channels.root_route` (``/`` without Rasa's version) and :mod:`ops.log_privacy` (no
user text in the logs above DEBUG).
"""

from channels import action_validation, payloads, root_route
from ops import log_privacy

action_validation.install()
payloads.install()
root_route.install()
log_privacy.install()
