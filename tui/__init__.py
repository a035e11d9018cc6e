"""qa-reader: a calm terminal reader for question-and-answer articles."""

__version__ = "0.1.0"
