"""HTML a web process renders once and keeps: `@kept_per_process(maxsize=...)`.

For a fragment that depends only on its arguments (the back office's links for a set of
roles, the classification form's fields for some choices): the arguments are the key, so a
change in what the fragment shows must be part of them. In development, when the
autoreloader sees a template change, the kept fragments are forgotten along with Django's
own cached templates."""

from collections.abc import Callable
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


@receiver(file_changed, dispatch_uid="lib_rendering_template_changed")
def forget_kept(sender: object, file_path: Path, **kwargs: object) -> None:
    # Only for files other than Python code, which restart the process anyway. Returns None, so
    # that Django's own receiver still decides whether the change needs a restart.
    if Path(file_path).suffix != ".py":
        for kept in _kept:
            kept.cache_clear()
