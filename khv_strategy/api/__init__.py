"""The REST API's root: the router of every app's endpoints (router.py)."""
