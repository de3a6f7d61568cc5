"""nsdesk: an offline desk for a national delegation to the nuclear-security process.

The package is layered (see ARCHITECTURE in the README): ``domain`` (plain rules),
``store`` (SQLAlchemy and migrations), ``services`` (use cases, audit), and the
edges ``ui`` (PySide6), ``cli`` and ``app`` (composition). Importing this package
imports nothing heavy, so ``nsdesk --version`` and the first window stay fast.
"""

__version__ = "0.1.0"
APP_NAME = "nsdesk"
