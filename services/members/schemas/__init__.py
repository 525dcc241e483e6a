"""marshmallow schemas of members' API: `organisations.py` and `identity.py`."""
