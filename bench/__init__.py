"""`make bench`: the marketplace's speed and how it scales, as ratios measured in one run."""
