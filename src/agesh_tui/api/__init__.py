"""The boundary the UI and the CLI call, and clients of outside HTTP services."""
