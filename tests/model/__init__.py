"""A long randomized test of the wallet against a small independent model of its rules.

`local_dates`, `wallet_model`, `program_model` and `scenario` use the standard library only:
a model that imported the product's code would check nothing (a test enforces it).
"""
