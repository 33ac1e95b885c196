"""The Flask REST adapter: app factory, error mapping, authentication, shared schemas."""
