"""Jinja templates and styles for cop-memory's generated pages (shipped as generator.site_templates)."""
