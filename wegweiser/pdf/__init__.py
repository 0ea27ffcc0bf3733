"""The PDFs: brochure, flyer and poster, laid out by WeasyPrint (`typeset`) and tagged."""
