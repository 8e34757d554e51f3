"""The merchant console: static files only (HTML, CSS, ES modules, vendored libraries).

A Python package only so that its files install with the project; nothing here is imported
by the product, and the console's code imports nothing from it: it talks to `/graphql`.
"""
