"""Marshmallow schemas: what each endpoint accepts (requests) and what it sends back (responses)."""
