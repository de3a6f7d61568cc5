"""Merging desks between laptops (issue 18): changes files sent and received, the
laptop's own key, and the laptop keys a desk trusts.

The file format is :mod:`nsdesk.exchange.changes` (it reads no desk); here is what
needs a desk or the user's profile: the schema a change is checked against, derived
from the desk's change log (``change_schema.py``), this laptop's signing key kept in
the profile (``laptop_key.py``), trust and revocation of other laptops' keys
(``trust.py``), and reading a file for a desk (``changes_files.py``). Which changes to
send and how they merge build on the change log of schema 0004.
"""
