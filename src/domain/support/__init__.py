"""Support: people report a problem with the site; agents work the tickets in a queue."""
