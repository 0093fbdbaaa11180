"""HTML a web process renders once and keeps: `@kept_per_process(maxsize=...)` for a function
whose arguments are the key, `KeptFragments` for a key the caller builds.

Either way everything a fragment shows must be part of its key (the back office's links: the
roles and the language; a form field: its choices and value). In development, when the
autoreloader sees a template change, the kept fragments are forgotten along with Django's
own cached templates."""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import wraps
from pathlib import Path

from django.dispatch import receiver
from django.utils.autoreload import file_changed


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


_kept: list[KeptFragments] = []


def kept_per_process[**P, S: str](maxsize: int) -> Callable[[Callable[P, S]], Callable[P, S]]:
    """For a function whose (hashable) arguments are all its fragment depends on: the arguments
    are the key. The kept fragments are the wrapper's `fragments`."""

    def keep(function: Callable[P, S]) -> Callable[P, S]:
        fragments = KeptFragments(maxsize)

        @wraps(function)
        def kept(*args: P.args, **kwargs: P.kwargs) -> S:
            return fragments.get((args, tuple(sorted(kwargs.items()))), lambda: function(*args, **kwargs))

        kept.fragments = fragments  # type: ignore[attr-defined]
        return kept

    return keep


@receiver(file_changed, dispatch_uid="lib_rendering_template_changed")
def forget_kept(sender: object, file_path: Path, **kwargs: object) -> None:
    # Only for files other than Python code, which restart the process anyway. Returns None, so
    # that Django's own receiver still decides whether the change needs a restart.
    if Path(file_path).suffix != ".py":
        for kept in _kept:
            kept.cache_clear()
