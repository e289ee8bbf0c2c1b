"""Exceed: experience engineering for multi-location retailers and restaurants."""

__version__ = "0.1.0"
