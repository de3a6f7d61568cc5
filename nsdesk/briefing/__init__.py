"""The briefing pack's renderer: a read model in (:mod:`nsdesk.briefing.model`),
a PDF out. reportlab is imported only here, and only when a pack is made."""
