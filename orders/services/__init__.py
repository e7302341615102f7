"""Writes for orders; one module per concern."""
