"""MongoDB plumbing shared by every context's repositories (connection, indexes, errors)."""
