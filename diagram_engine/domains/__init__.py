"""The domains: one package each, found by ``core.registry`` (nothing here lists them).

A domain package registers one ``core.Domain`` subclass with ``core.register``; see
docs/design.md, "Adding a domain".
"""
