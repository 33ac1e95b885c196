"""Catalog: seller profiles, service listings, the category taxonomy and search keywords."""
