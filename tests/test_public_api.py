"""The public API is typed: every function and method exported from ``symcrit`` is annotated."""
from __future__ import annotations

import inspect
from typing import Any, Callable, Iterator

import symcrit


def _exported_callables() -> Iterator[tuple[str, Callable[..., Any]]]:
    """Every exported function, and ``__init__`` plus every public method of every exported class,
    its own or inherited from a symcrit class (inherited builtins such as ``Exception.__init__`` are
    skipped)."""
    for name in symcrit.__all__:
        obj = getattr(symcrit, name)
        if inspect.isclass(obj):
            own: dict[str, Any] = {}
            for cls in reversed(obj.__mro__):   # inherited methods of symcrit's own base classes too
                if cls.__module__.startswith("symcrit"):
                    own.update(vars(cls))
            for attr, member in own.items():
                if attr.startswith("_") and attr != "__init__":
                    continue
                if isinstance(member, (staticmethod, classmethod)):
                    member = member.__func__
                if inspect.isfunction(member):
                    yield f"{name}.{attr}", member
        elif inspect.isfunction(obj):
            yield name, obj


def _missing(func: Callable[..., Any]) -> list[str]:
    sig = inspect.signature(func)
    out = [p.name for i, p in enumerate(sig.parameters.values())
           if p.annotation is inspect.Parameter.empty and not (i == 0 and p.name in ("self", "cls"))]
    if sig.return_annotation is inspect.Signature.empty:
        out.append("return")
    return out


def test_walk_finds_the_api() -> None:
    names = dict(_exported_callables())
    for expected in ("FixedPointSpace.__init__", "FixedPointSpace.reduced_loss", "family",
                     "CriticalPoint.certify", "Series.evaluate", "prove_inertia", "SignCount.__init__"):
        assert expected in names


def test_every_exported_function_and_method_is_annotated() -> None:
    missing = {name: m for name, func in _exported_callables() if (m := _missing(func))}
    assert not missing, f"unannotated parameters/returns in the public API: {missing}"
