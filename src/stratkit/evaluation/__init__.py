"""Evaluators: plain functions of the model and the data that return typed results."""
