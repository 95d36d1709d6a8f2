"""The one exception a sweep raises for bad input: a one-line message naming the file or point."""


class SweepError(ValueError):
    """A sweep file, point list or option that cannot be run, or a point that failed."""
