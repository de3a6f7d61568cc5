"""The desktop app (PySide6 only here). Widgets receive read models from the
services and never a database session; no worker thread ever touches a widget."""
