"""Security that every page shares: sign-in limits, session timeouts, the Content
Security Policy of the report pages, password reset and the deployment checks.

The settings that drive them are in `scrutineer.settings`; docs/security.md lists the
promises they keep and the test that checks each.
"""
