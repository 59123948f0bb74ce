"""PostgreSQL with a short patience when connecting (see ``base.py``)."""
