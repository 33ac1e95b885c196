"""Orders: booking a seller's time, the order's life with its timers, and the money it moves."""
