"""Evaluation of Tocsin's extraction against gold annotations written for the project."""
