"""The help-desk web page: a prefecture-style page with the chat widget (web/static) and
the small server that serves it (web/serve.py)."""
