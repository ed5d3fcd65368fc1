"""Distribution name and version, read by the User-Agent header."""

__title__ = "intuned-api"
__version__ = "0.1.0"
