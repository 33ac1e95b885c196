"""HTTP adapter of the orders context: availability, booking, quotes and the order's life."""
