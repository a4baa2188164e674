"""Persistence: SQLAlchemy 2 async engine, tables, one repository module per aggregate."""
