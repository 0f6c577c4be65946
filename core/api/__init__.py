"""REST API v1 support shared by the apps: errors, rendering, paging, permissions, throttles."""
