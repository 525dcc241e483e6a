"""Tests of the announcements service."""
