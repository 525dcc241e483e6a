"""notifications' request and response schemas."""
