"""Schemathesis hooks for ePortal's API check: PDF bodies are sent as the bytes generated."""

import schemathesis
from schemathesis.transport.serialization import serialize_binary


@schemathesis.serializer("application/pdf")
def pdf_body(ctx, value):
    # The public decorator wraps what this returns as the request's data itself.
    return serialize_binary(value)
