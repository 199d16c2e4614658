"""The reference city platform (市级政务服务平台) that Chuangkou clients sync with.

A FastAPI service over SQLAlchemy (SQLite by default, PostgreSQL by URL): accounts and
tokens, a content-addressed blob store fed by tus 1.0 uploads, the authoritative action
log of every case, and a change feed per unit. It reuses ``app.core`` for the lifecycle
rules, so the window and the platform judge an action the same way.
"""
