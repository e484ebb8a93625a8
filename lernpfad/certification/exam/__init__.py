"""The final exam of the KI-Champion certification: draw, timer, hand-in, result, status."""
