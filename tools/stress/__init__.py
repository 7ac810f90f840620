"""Stress runs against a real server: bounded in time and requests, only ever on 127.0.0.1."""
