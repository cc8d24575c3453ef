"""What happens when a consent is decided, by purpose. Apps that ask for consent (events) add a
handler here from their AppConfig.ready(); the consent engine calls them in the deciding
transaction. A handler takes (request, decision, actor) and must only write through services."""

from collections import defaultdict

_handlers = defaultdict(list)


def on_consent(purpose, handler):
    if handler not in _handlers[purpose]:
        _handlers[purpose].append(handler)


def dispatch(request, decision, actor):
    for handler in _handlers[request.purpose]:
        handler(request=request, decision=decision, actor=actor)
