"""Wegweiser: a KI's integration portal and brochure, built from YAML content."""

__version__ = "0.1.0"
