"""Tests for tocsin.extract."""
