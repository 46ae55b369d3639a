"""Security that every page shares: signing in, password reset only where email can be sent, and the deployment checks.

The settings that drive it are in `scrutineer.settings`.
"""
