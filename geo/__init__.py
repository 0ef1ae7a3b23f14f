"""geo: turn a news article into an evidence-linked story map."""

__version__ = "0.1.0"
