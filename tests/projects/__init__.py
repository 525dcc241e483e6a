"""Tests of the projects service."""
