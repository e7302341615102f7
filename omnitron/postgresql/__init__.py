"""Django's PostgreSQL backend with a health check of persistent connections that costs no round trip (``base.py``)."""
