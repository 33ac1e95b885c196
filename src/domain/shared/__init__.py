"""The shared kernel: value objects, errors and event plumbing every bounded context uses."""
