"""The website: one page kind per template, the theme per language, mkdocs per language."""
