"""cdt — a local-first customer digital twin for Snowmobile Wireless."""

__version__ = "0.1.0"
