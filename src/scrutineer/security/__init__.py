"""Security that every page shares: signing in, and password reset only where email can be sent.

The settings that drive it are in `scrutineer.settings`.
"""
