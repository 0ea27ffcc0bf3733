"""What the build publishes besides pages and PDFs: feeds, open data, the content report."""
