"""Distribution name and version, read by the User-Agent header."""

__title__ = "notte-api"
__version__ = "0.2.0"
