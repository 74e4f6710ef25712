"""Custom actions (rasa_sdk), one module per concern:

* ``knowledge_access`` – the knowledge base and entity finder the actions share
* ``conversation``     – the program under discussion, asking which one, facts from slots
* ``answers``          – what a program is, amounts, eligibility, budget, contact, needs, new
* ``calculation``      – the calculation form and its result
* ``handoff``          – hand-off to the right division, fallbacks, resuming after a choice
"""
