"""Expansion: a site's pro forma month by month against its actuals, and the pipeline of
prospective sites (seed 003's steps) up to a proposed site."""
