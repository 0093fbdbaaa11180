"""HTML a web process renders once and keeps: `@kept_per_process(maxsize=...)`.

For a fragment that depends only on its arguments (the back office's links for a set of
roles, the classification form's fields for some choices): the arguments are the key, so a
change in what the fragment shows must be part of them. In development, when the
autoreloader sees a template change, the kept fragments are forgotten along with Django's
own cached templates."""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.dispatch import receiver
from django.utils.autoreload import file_changed

_kept: list[Any] = []


def kept_per_process[**P, R](maxsize: int) -> Callable[[Callable[P, R]], Callable[P, R]]:
    def keep(function: Callable[P, R]) -> Callable[P, R]:
        kept = lru_cache(maxsize=maxsize)(function)
        _kept.append(kept)
        return kept  # type: ignore[return-value]

    return keep


class KeptFragments:
    """Fragments kept under keys the caller builds, for when rendering one needs objects that
    are not part of its key (a form's bound field): `fragments.get(key, render)`. The least
    recently used fragment goes when there are more than `maxsize`."""

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self._items: OrderedDict[Hashable, str] = OrderedDict()
        self._lock = threading.Lock()
        _kept.append(self)

    def get[S: str](self, key: Hashable, render: Callable[[], S]) -> S:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                return found  # type: ignore[return-value]
        fragment = render()
        with self._lock:
            self._items[key] = fragment
            if len(self._items) > self.maxsize:
                self._items.popitem(last=False)
        return fragment

    def cache_clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


@receiver(file_changed, dispatch_uid="lib_rendering_template_changed")
def forget_kept(sender: object, file_path: Path, **kwargs: object) -> None:
    # Only for files other than Python code, which restart the process anyway. Returns None, so
    # that Django's own receiver still decides whether the change needs a restart.
    if Path(file_path).suffix != ".py":
        for kept in _kept:
            kept.cache_clear()
