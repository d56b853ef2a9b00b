"""A thread guard around the real ``bpy``: every attribute read, call, iteration or
assignment made through it off the main thread is recorded and refused, as Blender's
data is not safe to touch from another thread (Blender itself would corrupt memory or
crash, not raise). Installed into the add-on's modules in place of their ``bpy``."""
import threading

_PLAIN = (str, bytes, int, float, bool, type(None))


class Violations(list):
    """What was touched off the main thread: ``(thread name, dotted path)``."""


def _unwrap(value):
    if isinstance(value, Guarded):
        return object.__getattribute__(value, "_target")
    if isinstance(value, tuple):
        return tuple(_unwrap(v) for v in value)
    if isinstance(value, list):
        return [_unwrap(v) for v in value]
    if isinstance(value, dict):
        return {k: _unwrap(v) for k, v in value.items()}
    return value


class Guarded(object):
    __slots__ = ("_target", "_path", "_violations")

    def __init__(self, target, path, violations):
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_path", path)
        object.__setattr__(self, "_violations", violations)

    def _check(self, what):
        if threading.current_thread() is not threading.main_thread():
            path = object.__getattribute__(self, "_path") + what
            object.__getattribute__(self, "_violations").append(
                (threading.current_thread().name, path))
            raise RuntimeError("bpy touched off the main thread: " + path)

    def _wrap(self, value, what):
        if isinstance(value, _PLAIN) or isinstance(value, Guarded):
            return value
        if isinstance(value, type):  # classes (bpy.types.X) are subclassed and compared
            return value
        return Guarded(value, object.__getattribute__(self, "_path") + what,
                       object.__getattribute__(self, "_violations"))

    def __getattr__(self, name):
        self._check("." + name)
        return self._wrap(getattr(object.__getattribute__(self, "_target"), name), "." + name)

    def __setattr__(self, name, value):
        self._check("." + name + " =")
        setattr(object.__getattribute__(self, "_target"), name, _unwrap(value))

    def __delattr__(self, name):
        self._check("del ." + name)
        delattr(object.__getattribute__(self, "_target"), name)

    def __call__(self, *args, **kwargs):
        self._check("()")
        result = object.__getattribute__(self, "_target")(*_unwrap(args), **_unwrap(kwargs))
        return self._wrap(result, "()")

    def __iter__(self):
        self._check("[iter]")
        for item in object.__getattribute__(self, "_target"):
            yield self._wrap(item, "[]")

    def __len__(self):
        self._check("[len]")
        return len(object.__getattribute__(self, "_target"))

    def __bool__(self):
        self._check("[bool]")
        return bool(object.__getattribute__(self, "_target"))

    def __getitem__(self, key):
        self._check("[{!r}]".format(key))
        return self._wrap(object.__getattribute__(self, "_target")[_unwrap(key)], "[]")

    def __setitem__(self, key, value):
        self._check("[{!r}] =".format(key))
        object.__getattribute__(self, "_target")[_unwrap(key)] = _unwrap(value)

    def __contains__(self, item):
        self._check("[in]")
        return _unwrap(item) in object.__getattribute__(self, "_target")

    def __eq__(self, other):
        return object.__getattribute__(self, "_target") == _unwrap(other)

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return hash(object.__getattribute__(self, "_target"))

    def __repr__(self):
        return repr(object.__getattribute__(self, "_target"))

    def __str__(self):
        return str(object.__getattribute__(self, "_target"))

    def __fspath__(self):
        return object.__getattribute__(self, "_target").__fspath__()


def install(modules, bpy_module, monkeypatch):
    """Replace ``bpy`` in each of ``modules`` by a guarded one; returns the violations
    list the test asserts is empty."""
    violations = Violations()
    guarded = Guarded(bpy_module, "bpy", violations)
    for module in modules:
        if getattr(module, "bpy", None) is not None:
            monkeypatch.setattr(module, "bpy", guarded)
    return violations
