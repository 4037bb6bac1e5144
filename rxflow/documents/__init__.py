"""Document renderers: plain data in, PDF bytes out (reportlab); no database, no workflow."""
