"""JSON Schema of outlines and translations, generated from the model's dataclasses."""

from __future__ import annotations

import dataclasses
import json
import types
from typing import Any, Literal, Union, get_args, get_origin

from slidegen.errors import UsageError
from slidegen.read.keys import keys
from slidegen.read.model import Outline

__all__ = ["schema", "schema_json"]

SCHEMA_ID = "https://slidegen.invalid/schema/{kind}.schema.json"


def _type_schema(tp: Any, defs: dict[str, Any]) -> dict[str, Any]:
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        inner = _type_schema(args[0], defs) if len(args) == 1 else {}
        return {"anyOf": [inner, {"type": "null"}]} if type(None) in get_args(tp) else inner
    if tp is str:
        # Any scalar is accepted as text (a year written 1902 is the text "1902").
        return {"type": ["string", "number", "boolean"]}
    if tp is bool:
        return {"type": "boolean"}
    if tp is int:
        return {"type": "integer"}
    if origin is Literal:
        return {"enum": list(get_args(tp))}
    if origin is tuple:
        return {"type": "array", "items": _type_schema(get_args(tp)[0], defs)}
    if origin is dict:  # a mapping keyed by id (a translation's sections and slides)
        return {"type": "object", "additionalProperties": _type_schema(get_args(tp)[1], defs)}
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        name = tp.__name__
        if name not in defs:
            defs[name] = {}  # placeholder: breaks recursion (Item holds Items)
            defs[name] = _class_schema(tp, defs)
        ref = {"$ref": f"#/$defs/{name}"}
        scalar = getattr(tp, "SCALAR_FIELD", None)
        return {"anyOf": [{"type": "string"}, ref]} if scalar else ref
    raise TypeError(f"no schema for {tp}")  # pragma: no cover - model design error


def _class_schema(cls: type, defs: dict[str, Any]) -> dict[str, Any]:
    props: dict[str, Any] = {}
    required: list[str] = []
    for k in keys(cls):
        prop = _type_schema(k.type, defs)
        if k.doc is not None:
            prop = {**prop, "description": k.doc}
        props[k.yaml] = prop
        if k.required:
            required.append(k.yaml)
    out: dict[str, Any] = {
        "type": "object",
        "description": (cls.__doc__ or "").strip().splitlines()[0],
        "properties": props,
        "additionalProperties": False,
    }
    if required:
        out["required"] = required
    return out


def schema(kind: str = "outline") -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of an outline, a translation file or a course file."""
    if kind == "outline":
        root: type = Outline
        title = "slidegen class outline"
    elif kind == "translation":
        from slidegen.i18n.merge import TRANSLATION_MODEL

        root, title = TRANSLATION_MODEL, "slidegen translation"
    elif kind == "course":
        from slidegen.read.course import Course

        root, title = Course, "slidegen course file"
    else:
        raise UsageError(f"unknown schema kind '{kind}'; choose outline, translation or course")
    defs: dict[str, Any] = {}
    body = _class_schema(root, defs)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID.format(kind=kind),
        "title": title,
        **body,
        "$defs": dict(sorted(defs.items())),
    }


def schema_json(kind: str = "outline") -> str:
    """The schema as stable, indented JSON text."""
    return json.dumps(schema(kind), indent=2, ensure_ascii=False) + "\n"
