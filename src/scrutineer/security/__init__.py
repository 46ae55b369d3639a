"""Security that every page shares: sign-in limits, password reset only where email can be sent, the deployment checks and the Content Security Policy of the report pages.

The settings that drive it are in `scrutineer.settings`.
"""
