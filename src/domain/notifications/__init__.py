"""Notifications: each person's inbox of the events that concern them."""
