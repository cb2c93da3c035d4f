"""Renderers: turn plain answers into Rich renderables or strings; they never print."""
