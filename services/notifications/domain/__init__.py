"""notifications' domain: who hears of what, and how it reaches them."""
