"""The Redis cache keeps one client per connection pool and still behaves as Django's cache, against
a real redis-server (skipped only when there is no redis-server binary; make test installs it)."""


def test_one_client_serves_every_operation_and_the_cache_works(redis_url):
    from django.core.cache.backends.redis import RedisCacheClient

    from forumanak.core.redis_cache import RedisCache

    cache = RedisCache(redis_url, {"KEY_PREFIX": "test"})
    client = cache._cache.get_client(write=False)
    assert client is cache._cache.get_client(write=True) is cache._cache.get_client("any key")
    assert RedisCacheClient([redis_url]).get_client() is not RedisCacheClient([redis_url]).get_client()

    cache.set("a", {"n": 1}, 30)
    cache.set_many({"b": 2, "c": [3]}, 30)
    assert cache.get("a") == {"n": 1} and cache.get_many(["b", "c", "d"]) == {"b": 2, "c": [3]}
    assert cache.get_or_set("d", lambda: "new", 30) == "new" and cache.get("d") == "new"
    assert cache.incr("b") == 3
    cache.delete("a")
    assert cache.get("a") is None
    assert cache._cache.get_client() is client  # still the same client after every kind of operation
    assert len(cache._cache._pools) == 1
