"""Shared helpers of the event tests."""

ASSERTED = ("reported", "claimed")


def asserted(events):
    """The events a text asserts happened (reported or claimed), not denied, hypothetical or historical ones."""
    return [e for e in events if e.status in ASSERTED]


VIOLENT_TYPES = ("Battles", "Explosions/Remote violence", "Violence against civilians")


def violent(events):
    """The events of the three violent ACLED types."""
    return [e for e in events if e.event_type in VIOLENT_TYPES]
