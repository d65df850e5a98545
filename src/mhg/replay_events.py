"""Decoding a replay's stored events: the library's mapper, without its per-event detours.

`Mapper.to_domain_event` is a fifth of a replay's time. For the mapper the services
use (the library's JSON transcoder, no cipher, no compression) `event_decoder` does
the same steps with less around them: one JSON decoder whose object hook goes
straight to each transcoding, event classes resolved once per topic, and UUIDs written
as the transcoder writes them (32 lowercase hex digits) built without re-parsing. Any
other mapper is used as it is. A unit test holds the two to the same events.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any
from uuid import UUID, SafeUUID

from eventsourcing.persistence import (
    JSONTranscoder,
    Mapper,
    MapperDeserialisationError,
    StoredEvent,
    TranscodingNotRegisteredError,
    find_id_convertor,
)
from eventsourcing.utils import resolve_topic

Decoder = Callable[[str, int, str, bytes], Any]
"""(originator id as hex, version, topic, stored state) -> the domain event"""

_HEX = re.compile(r"[0-9a-f]{32}\Z").match
_MISSING = object()
_new = object.__new__
_set = object.__setattr__
_UNKNOWN = SafeUUID.unknown


def uuid_from_hex(value: str) -> UUID:
    """`UUID(value)`, without its parsing when `value` is already 32 lowercase hex digits."""
    if _HEX(value) is None:
        return UUID(value)
    made: UUID = _new(UUID)
    _set(made, "int", int(value, 16))
    _set(made, "is_safe", _UNKNOWN)
    return made


def event_decoder(mapper: Mapper[UUID]) -> Decoder:
    transcoder = mapper.transcoder
    if (
        type(mapper) is not Mapper
        or type(transcoder) is not JSONTranscoder
        or mapper.cipher is not None
        or mapper.compressor is not None
    ):
        return lambda originator_id, version, topic, state: mapper.to_domain_event(
            StoredEvent(UUID(originator_id), version, topic, state)
        )
    decoders: dict[Any, Callable[[Any], Any]] = {
        name: transcoding.decode for name, transcoding in transcoder.names.items()
    }
    if "uuid_hex" in decoders:
        decoders["uuid_hex"] = uuid_from_hex

    def hook(obj: dict[str, Any]) -> Any:  # as JSONTranscoder._decode_obj
        if len(obj) == 2:
            name = obj.get("_type_", _MISSING)
            if name is not _MISSING and "_data_" in obj:
                decode = decoders.get(name)
                if decode is None:
                    msg = f"Data serialized with name '{name}' is not deserializable."
                    raise TranscodingNotRegisteredError(msg)
                return decode(obj["_data_"])
        return obj

    decoder = json.JSONDecoder(object_hook=hook)

    def parse(text: str) -> Any:
        """`decoder.decode(text)`, without its whitespace matching when there is none."""
        try:
            found, end = decoder.raw_decode(text)
        except ValueError:  # leading whitespace, or no JSON: decode() says which
            return decoder.decode(text)
        return found if end == len(text) else decoder.decode(text)

    classes: dict[str, tuple[type[Any], Callable[[Any], Any], int]] = {}

    def decode(originator_id: str, version: int, topic: str, state: bytes) -> Any:
        known = classes.get(topic)
        if known is None:
            cls = resolve_topic(topic)
            known = classes[topic] = (
                cls,
                find_id_convertor(cls, UUID),
                getattr(cls, "class_version", 1),
            )
        cls, convert, class_version = known
        try:
            event_state = parse(state.decode("utf8"))
        except Exception as e:
            msg = (
                f"Failed to deserialise state of stored event with topic '{topic}', "
                f"originator_id '{originator_id}' and originator_version {version}: {e}"
            )
            raise MapperDeserialisationError(msg) from e
        event_state["originator_id"] = convert(uuid_from_hex(originator_id))
        event_state["originator_version"] = version
        from_version = event_state.pop("class_version", 1)
        while from_version < class_version:
            getattr(cls, f"upcast_v{from_version}_v{from_version + 1}")(event_state)
            from_version += 1
        event = _new(cls)
        _set(event, "__dict__", event_state)
        return event

    return decode
