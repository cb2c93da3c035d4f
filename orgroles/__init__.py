"""orgroles: answer questions about an organisation's leadership structure from one YAML file."""

__version__ = "0.1.0"
