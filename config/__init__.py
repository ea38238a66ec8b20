"""The project's settings: one table every layer reads (`config.settings`)."""
