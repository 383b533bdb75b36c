"""A small plugin registry (after Open Forms' ``openforms.plugins.registry``): a kind of
pluggable thing is one ``Registry``, and each implementation registers itself under its
identifier with the registry as a decorator, in the module that defines it::

    deadline_rules = Registry("deadline rule")

    @deadline_rules("working_days")
    def working_days(calendar, origin, value): ...

Adding a kind is adding one decorated function or class; the code that uses them looks the
identifier up (``registry[identifier]``) instead of an if-chain over the kinds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator


class Registry[PluginT]:
    def __init__(self, what: str) -> None:
        self.what = what  # for messages: "deadline rule", "registry gateway backend"
        self._plugins: dict[str, PluginT] = {}

    def __call__(self, identifier: str) -> Callable[[PluginT], PluginT]:
        def register(plugin: PluginT) -> PluginT:
            if identifier in self._plugins:
                raise ValueError(f"{self.what} {identifier!r} is already registered")
            self._plugins[identifier] = plugin
            return plugin

        return register

    def __getitem__(self, identifier: str) -> PluginT:
        try:
            return self._plugins[identifier]
        except KeyError:
            raise KeyError(
                f"unknown {self.what} {identifier!r} (known: {', '.join(sorted(self))})"
            ) from None

    def __contains__(self, identifier: str) -> bool:
        return identifier in self._plugins

    def __iter__(self) -> Iterator[str]:
        return iter(self._plugins)
