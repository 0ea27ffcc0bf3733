"""Languages: translation lookup and CLDR formats, language names, text direction, catalogs."""
