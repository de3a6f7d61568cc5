"""Workbooks in and out: openpyxl and python-calamine only here; readers return rows
and cell problems, never touch a desk."""
