"""The domain: enums, value types and rules of the nuclear-security register.

Plain Python only. Nothing here knows about SQL, Qt, PDF or Excel, so the rules
(status derivation, "late" and "at risk", marking order, field validation) can be
used by every layer above and tested in isolation.
"""
