"""orgroles: answer questions about an organisation's leadership structure from one YAML file."""

__version__ = "0.1.0"

# The version of the data file format (the `format:` key of every organisation file).
FORMAT_VERSION = "orgroles/1"
