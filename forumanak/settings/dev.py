"""Local development: the embedded default (SQLite, ORM broker, email to files)."""

from .base import *  # noqa: F401,F403
from .env import env_bool

DEBUG = env_bool("DEBUG", True)
CMS_PAGE_CACHE_HEADER = True  # X-Page-Cache: hit|miss, to see the page cache at work
