"""The assistant: read-only tools over a company's data (tools), the offline question parser (parser)."""
