"""cop-memory: a community of practice's shared memory and value showcase, built with MkDocs."""

__version__ = "0.1.0"
