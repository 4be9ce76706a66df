#!/usr/bin/env python3
"""Cross-language conformance test of wire protocol v1.

An independent implementation of doc/protocol.md written with pyzmq and
msgpack talks to tests/conformance/conformance_peer (the C codec):

* ingest: Python encodes events (MessagePack and JSON, minimal and full,
  non-minimal integer encodings, float32) and hostile bodies; the peer
  reports each decoded event as JSON or the error name, which must match.
  The MessagePack example in the document is checked byte for byte.
* feed: the peer publishes one of each feed message; Python checks the topic
  and validates every body against the field tables below (transcribed from
  the document) and against the document's example values.
* requests: snapshot stream and decision submission over DEALER/ROUTER.
* the document: every complete JSON example in it is valid by the tables
  below and decodes in C to the same values.

usage: conformance.py PEER_BINARY PROTOCOL_MD
"""
import json
import math
import os
import re
import select
import shutil
import subprocess
import sys
import tempfile
import time

import msgpack
import zmq

TIMEOUT_S = 10.0
FAILURES = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print("FAIL:", what, file=sys.stderr)


# ---------------------------------------------------------------- schema
# Type tokens: ("str", max), ("queue",), ("int", lo, hi), ("uint",),
# ("float", lo, hi), ("bool",), ("enum", names), ("map", table),
# ("array", table, max, min), ("trend",), ("rejected",)
TS = ("int", 0, 2**63 - 1)
OFFSET = ("int", 0, 2**40)
ID = ("str", 64)
NEID = ("nonempty", 64)     # an id that must not be empty
NAME = ("str", 128)
PHRASE = ("str", 160)
CHANNELS = ["voice", "chat", "email", "social"]
STATES = ["active", "hold", "ended", "abandoned"]
COMPONENTS = ["negativity", "repetition", "escalation", "interruption",
              "pace", "emphasis", "silence", "voice"]
KINDS = ["assist", "escalate", "review", "follow_up"]
DECISIONS = ["acknowledge", "accept", "dismiss", "snooze", "raise", "clear", "tag"]

VOICE = {"loudness_dbfs": (("float", -200, 0), True),
         "pitch_hz": (("float", 0, 2000), True),
         "rate_wps": (("float", 0, 20), True)}
SENTIMENT = {k: (("float", -1, 1), True) for k in ("latest", "ewma", "mean", "end")}
SENTIMENT["slope"] = (("float", -1e6, 1e6), True)
COMPONENT = {"name": (("enum", COMPONENTS), True),
             "value": (("float", 0, 1), True),
             "weight": (("float", 0, 100), True),
             "contrib": (("float", 0, 100), True),
             "evidence": (PHRASE, False)}
REASON = {"signal": (NEID, True), "value": (("float", -1e12, 1e12), True),
          "phrase": (PHRASE, False)}

THRESHOLD = {"rule": (NEID, True), "signal": (NEID, True),
             "value": (("float", -1e12, 1e12), True), "window_ms": (TS, False)}
EXPLAINED = {"t": (OFFSET, True), "compound": (("float", -1, 1), True),
             "text": (PHRASE, True)}

HDR_FEED = {"v": (("int", 1, 1), True), "type": (("str", 64), True),
            "pub": (NEID, True), "seq": (("uint",), True), "tseq": (("uint",), False),
            "ts": (TS, True), "req": (("uint",), False)}
HDR_REPLY = dict(HDR_FEED, req=(("uint",), True))
HDR_REQUEST = {"v": (("int", 1, 1), True), "type": (("str", 64), True),
               "req": (("uint",), True), "pub": (ID, False), "ts": (TS, False)}

SUGGESTION = {"id": (NEID, True), "call": (NEID, True), "queue": (("queue",), True),
              "rule": (NEID, True), "kind": (("enum", KINDS), True),
              "severity": (("int", 1, 3), True),
              "reasons": (("array", REASON, 8, 1), True),
              "raised": (TS, True), "updated": (TS, True), "policy": (NEID, True),
              "tip": (("str", 320), False), "claimed_by": (ID, False)}
DECISION = {"uuid": (NEID, True), "suggestion": (ID, False), "call": (NEID, True),
            "queue": (("queue",), True), "decision": (("enum", DECISIONS), True),
            "reason": (ID, False), "text": (("str", 1024), False),
            "supervisor": (NEID, True), "name": (NAME, False), "host": (NAME, False),
            "at": (TS, True), "severity": (("int", 1, 3), False),
            "label": (ID, False), "until": (TS, False), "policy": (ID, False)}
SNAPMARK = {"calls": (("uint",), True), "suggestions": (("uint",), True),
            "queue": (("queue",), False)}

BODIES = {
    "call_update": {
        "call": (NEID, True), "queue": (("queue",), True),
        "channel": (("enum", CHANNELS), True), "agent": (ID, False),
        "agent_name": (NAME, False), "state": (("enum", STATES), True),
        "started": (TS, True), "duration_ms": (TS, True), "hold_ms": (TS, True),
        "silence_ms": (TS, True), "utterances": (("int", 0, 2**32 - 1), True),
        "sentiment": (("map", SENTIMENT), True),
        "frustration": (("float", 0, 1), True),
        "components": (("array", COMPONENT, 8, 0), True),
        "trend": (("trend",), False), "claimed_by": (ID, False),
        "flag": (("int", 0, 3), False), "reason": (PHRASE, False)},
    "suggestion_raised": SUGGESTION,
    "suggestion_updated": SUGGESTION,
    "suggestion_cleared": {"id": (NEID, True), "call": (NEID, True),
                           "queue": (("queue",), True), "why": (ID, False)},
    "decision_recorded": DECISION,
    "heartbeat": {"calls": (("uint",), True), "accepted": (("uint",), True),
                  "rejected": (("rejected",), True), "published": (("uint",), True),
                  "uptime_ms": (TS, True), "interval_ms": (TS, False)},
    "snapshot_begin": SNAPMARK,
    "snapshot_end": SNAPMARK,
    "decision_ack": {"ok": (("bool",), True), "uuid": (ID, False),
                     "code": (ID, False), "text": (PHRASE, False)},
    "error": {"code": (NEID, True), "text": (PHRASE, False)},
    "snapshot_request": {"queue": (("queue",), False)},
    "decision_submit": DECISION,
    "detail_request": {"call": (NEID, True)},
    "call_detail": {
        "call": (NEID, True), "policy": (NEID, True),
        "thresholds": (("array", THRESHOLD, 32, 0), True),
        "utterances": (("array", EXPLAINED, 8, 0), True)},
}
FEED_TYPES = ["call_update", "suggestion_raised", "suggestion_updated",
              "suggestion_cleared", "decision_recorded", "heartbeat"]
TOPIC_KIND = {"call_update": "upd", "suggestion_raised": "sug",
              "suggestion_updated": "sug", "suggestion_cleared": "sug",
              "decision_recorded": "dec", "heartbeat": "hb"}
QUEUE_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def valid_str(v, limit):
    return (isinstance(v, str) and len(v.encode("utf-8")) <= limit
            and "\0" not in v)


def validate_value(where, t, v):
    kind = t[0]
    if kind in ("str", "nonempty"):
        check(valid_str(v, t[1]) and (kind == "str" or v),
              f"{where}: {kind}<={t[1]} got {v!r}")
    elif kind == "queue":
        check(isinstance(v, str) and QUEUE_RE.match(v), f"{where}: queue id {v!r}")
    elif kind == "int":
        check(isinstance(v, int) and not isinstance(v, bool) and t[1] <= v <= t[2],
              f"{where}: int in [{t[1]},{t[2]}] got {v!r}")
    elif kind == "uint":
        check(isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 2**64,
              f"{where}: uint got {v!r}")
    elif kind == "float":
        check(isinstance(v, (int, float)) and not isinstance(v, bool)
              and math.isfinite(v) and t[1] <= v <= t[2],
              f"{where}: float in [{t[1]},{t[2]}] got {v!r}")
    elif kind == "bool":
        check(isinstance(v, bool), f"{where}: bool got {v!r}")
    elif kind == "enum":
        check(v in t[1], f"{where}: one of {t[1]} got {v!r}")
    elif kind == "map":
        validate_map(where, t[1], v)
    elif kind == "array":
        check(isinstance(v, list) and t[3] <= len(v) <= t[2],
              f"{where}: array of {t[3]}..{t[2]} got {v!r}")
        for i, el in enumerate(v if isinstance(v, list) else []):
            validate_map(f"{where}[{i}]", t[1], el)
    elif kind == "trend":
        check(isinstance(v, list) and len(v) <= 1024, f"{where}: trend bound")
        for i, p in enumerate(v if isinstance(v, list) else []):
            check(isinstance(p, list) and len(p) == 3, f"{where}[{i}]: 3-array")
            if isinstance(p, list) and len(p) == 3:
                validate_value(f"{where}[{i}].t", OFFSET, p[0])
                validate_value(f"{where}[{i}].s", ("float", -1, 1), p[1])
                validate_value(f"{where}[{i}].f", ("float", 0, 1), p[2])
    elif kind == "rejected":
        check(isinstance(v, dict) and len(v) <= 32, f"{where}: rejected map")
        for k, n in (v.items() if isinstance(v, dict) else []):
            check(valid_str(k, 64) and k, f"{where}: reason key {k!r}")
            validate_value(f"{where}.{k}", ("uint",), n)


def validate_map(where, table, body):
    if not isinstance(body, dict):
        check(False, f"{where}: not a map: {body!r}")
        return
    check(len(body) <= 64, f"{where}: over 64 keys")
    for key, (t, required) in table.items():
        if key in body:
            validate_value(f"{where}.{key}", t, body[key])
        else:
            check(not required, f"{where}: required key {key!r} missing")


def validate_body(where, body, header):
    validate_map(where, header, body)
    table = BODIES.get(body.get("type"))
    check(table is not None, f"{where}: unknown type {body.get('type')!r}")
    if table:
        validate_map(where, table, body)
    if body.get("type") in ("suggestion_raised", "suggestion_updated",
                            "call_update"):
        names = [c.get("name") for c in body.get("components", [])]
        check(len(names) == len(set(names)), f"{where}: duplicate component")


def unpack_body(raw):
    """One map, string keys, nothing after it (msgpack raises ExtraData)."""
    return msgpack.unpackb(raw, raw=False, strict_map_key=True)


# ---------------------------------------------------------------- examples
# The values of the examples in doc/protocol.md.
TS0 = 1764000000000
EXPECTED_FEED = {
    "call_update": {
        "call": "c-1001", "queue": "billing", "channel": "voice", "agent": "a-17",
        "agent_name": "Dana Ru\u00edz", "state": "active", "started": TS0,
        "duration_ms": 95000, "hold_ms": 12000, "silence_ms": 4000, "utterances": 14,
        "sentiment": {"latest": -0.625, "ewma": -0.4, "mean": -0.2, "end": -0.5,
                      "slope": -0.25},
        "frustration": 0.425,
        "components": [
            {"name": "negativity", "value": 0.75, "weight": 0.3, "contrib": 0.75 * 0.3,
             "evidence": "charged twice"},
            {"name": "repetition", "value": 0.5, "weight": 0.2, "contrib": 0.5 * 0.2,
             "evidence": "third time"},
            {"name": "escalation", "value": 0.0, "weight": 0.2, "contrib": 0.0}],
        "trend": [[90000, -0.5, 0.375], [95000, -0.625, 0.425]],
        "claimed_by": "sup-3", "flag": 2,
        "reason": "negativity persists: \"charged twice\""},
    "suggestion_raised": {
        "id": "s-000042", "call": "c-1001", "queue": "billing",
        "rule": "persistent_negativity", "kind": "assist", "severity": 2,
        "reasons": [{"signal": "negativity", "value": 0.75, "phrase": "charged twice"},
                    {"signal": "repetition", "value": 0.5}],
        "raised": TS0 + 90000, "updated": TS0 + 95000, "policy": "policy-2026-11-01",
        "tip": "Acknowledge the double charge and state the refund timeline."},
    "suggestion_cleared": {"id": "s-000042", "call": "c-1001", "queue": "billing",
                           "why": "decided"},
    "decision_recorded": {
        "uuid": "6f1c2d1e-8a4b-4c3d-9e2f-0a1b2c3d4e5f", "call": "c-1001",
        "queue": "billing", "decision": "raise",
        "text": "Customer mentions a lawyer; listen in.", "supervisor": "sup-3",
        "name": "Sam Okafor", "host": "floor-pc-7", "at": TS0 + 97000, "severity": 2,
        "policy": "policy-2026-11-01"},
    "heartbeat": {"calls": 1234, "accepted": 987654321,
                  "rejected": {"bad_utf8": 3, "unknown_call": 17},
                  "published": 4567890, "uptime_ms": 3600000, "interval_ms": 1000},
}
EXPECTED_FEED["suggestion_updated"] = dict(EXPECTED_FEED["suggestion_raised"], severity=3)

EVENTS = [
    {"v": 1, "type": "call_start", "call": "c-1001", "ts": TS0, "agent": "a-17",
     "agent_name": "Dana Ru\u00edz", "queue": "billing", "channel": "voice"},
    {"type": "call_start", "call": "c-2", "ts": 0, "agent": "a", "queue": "q_2-B",
     "channel": "social"},
    {"v": 1, "type": "utterance", "call": "c-1001", "ts": TS0 + 4800,
     "speaker": "customer", "start_ms": 1200, "end_ms": 4800, "final": True,
     "text": "I was charged twice \u2014 this is the THIRD time I call!",
     "voice": {"loudness_dbfs": -18.5, "pitch_hz": 212.25, "rate_wps": 3.5},
     "truth": "onset"},
    {"type": "utterance", "call": "c-1001", "ts": 5, "speaker": "agent",
     "start_ms": 0, "end_ms": 0, "final": False, "text": ""},
    {"type": "utterance", "call": "c-3", "ts": 7, "speaker": "customer",
     "start_ms": 2**40, "end_ms": 2**40, "final": True, "text": "\U0001F620" * 1024},
    {"v": 1, "type": "hold", "call": "c-1001", "ts": TS0 + 60000, "on": True},
    {"type": "hold", "call": "c-1001", "ts": TS0 + 70000, "on": False},
    {"v": 1, "type": "call_end", "call": "c-1001", "ts": TS0 + 300000, "state": "abandoned"},
    {"type": "call_end", "call": "c-1001", "ts": TS0 + 300000},
    {"v": 1, "type": "transfer", "call": "c-1001", "ts": TS0 + 120000, "agent": "a-22",
     "agent_name": "Lee Park", "queue": "retention"},
    {"type": "transfer", "call": "c-1001", "ts": 1, "agent": "a-23",
     "future_key": {"nested": [1, 2.5, None, {"x": b"bin"}]}},
]

KNOWN_EVENT_KEYS = {
    "call_start": {"v", "type", "call", "ts", "agent", "agent_name", "queue", "channel"},
    "utterance": {"v", "type", "call", "ts", "speaker", "start_ms", "end_ms", "final",
                  "text", "voice", "truth"},
    "hold": {"v", "type", "call", "ts", "on"},
    "call_end": {"v", "type", "call", "ts", "state"},
    "transfer": {"v", "type", "call", "ts", "agent", "agent_name", "queue"},
}


def normalised(ev):
    """What a conforming reader makes of ev: v defaults to 1, call_end state
    to "ended", unknown keys are ignored."""
    out = {k: v for k, v in ev.items() if k in KNOWN_EVENT_KEYS[ev["type"]]}
    out.setdefault("v", 1)
    if ev["type"] == "call_end":
        out.setdefault("state", "ended")
    return out


def pack(obj, **kw):
    return msgpack.packb(obj, use_bin_type=True, **kw)


def replace_once(data, old, new):
    assert len(old) == len(new) and data.count(old) == 1, (old, new)
    return data.replace(old, new)


UTT = {"type": "utterance", "call": "c-9", "ts": 9, "speaker": "customer",
       "start_ms": 1, "end_ms": 2, "final": True, "text": "ab@@cd"}


def bad_bodies():
    """(description, frame, expected 'ERR name key' line)."""
    utt = pack(UTT)
    return [
        ("5-byte map32 of 4G pairs", b"\xdf\xff\xff\xff\xff", "ERR count_exceeds -"),
        ("array32 of 4G inside", b"\x81\xa1a\xdd\xff\xff\xff\xff", "ERR count_exceeds -"),
        ("str32 of 4 GB", b"\x81\xa1a\xdb\xff\xff\xff\xff", "ERR truncated -"),
        ("not a map", pack([1, 2]), "ERR wrong_type -"),
        ("empty frame", b"", "ERR truncated -"),
        ("trailing byte", utt + b"\xc0", "ERR trailing -"),
        ("cut in half", utt[: len(utt) // 2], None),
        ("too deep", pack({"type": "hold", "x": [[[[[[[[1]]]]]]]]}), "ERR too_deep -"),
        ("invalid UTF-8", replace_once(utt, b"ab@@cd", b"ab\xc3\x28cd"), "ERR bad_utf8 text"),
        ("surrogate", replace_once(utt, b"ab@@cd", b"\xed\xa0\x80cde"), "ERR bad_utf8 text"),
        ("NUL in text", replace_once(utt, b"ab@@cd", b"ab\x00\x00cd"), "ERR nul_byte text"),
        ("bin as text", replace_once(utt, b"\xa6ab@@cd", b"\xc4\x05ab@@c"), "ERR wrong_type text"),
        ("text 4097 bytes", pack(dict(UTT, text="x" * 4097)), "ERR too_long text"),
        ("call 65 bytes", pack(dict(UTT, call="c" * 65)), "ERR too_long call"),
        ("version 2", pack(dict(UTT, v=2)), "ERR bad_version v"),
        ("no call", pack({k: v for k, v in UTT.items() if k != "call"}), "ERR missing call"),
        ("float ts", pack(dict(UTT, ts=9.0)), "ERR wrong_type ts"),
        ("negative ts", pack(dict(UTT, ts=-9)), "ERR out_of_range ts"),
        ("end before start", pack(dict(UTT, start_ms=5, end_ms=4)), "ERR out_of_range end_ms"),
        ("bad speaker", pack(dict(UTT, speaker="bot")), "ERR bad_enum speaker"),
        ("nil text", pack(dict(UTT, text=None)), "ERR wrong_type text"),
        ("unknown type", pack(dict(UTT, type="call_update")), "ERR unknown_type type"),
        ("queue with dot", pack({"type": "call_start", "call": "c", "ts": 1, "agent": "a",
                                 "queue": "a.b", "channel": "chat"}), "ERR bad_id queue"),
        ("JSON duplicate key", b'{"type":"hold","call":"c","ts":1,"ts":2,"on":true}',
         "ERR duplicate -"),
        ("JSON float ts", b'{"type":"hold","call":"c","ts":1.0,"on":true}',
         "ERR wrong_type ts"),
        ("JSON syntax", b'{"type":"hold",', "ERR truncated -"),
        ("JSON missing on", b'{"type":"hold","call":"c","ts":1}', "ERR missing on"),
    ]


def doc_hex_example(doc_path):
    """The 42-byte hold event printed in the document."""
    text = open(doc_path, encoding="utf-8").read()
    m = re.search(r"The same event as MessagePack.*?```\n(.*?)```", text, re.S)
    assert m, "hex example not found in doc"
    return bytes.fromhex(m.group(1).replace("\n", " "))


def doc_heartbeat_hex(doc_path):
    text = open(doc_path, encoding="utf-8").read()
    m = re.search(r"the same body in MessagePack.*?\n\n(8c .*?)```", text, re.S)
    assert m, "heartbeat hex not found in doc"
    hexes = [line[:48] for line in m.group(1).splitlines() if line.strip()]
    return bytes.fromhex(" ".join(hexes))


def doc_examples(doc_path):
    """Every complete JSON example in the document's code blocks, with the
    topic line that precedes it (None if none). Examples elided with '...'
    are skipped."""
    text = open(doc_path, encoding="utf-8").read()
    out = []
    for block in re.findall(r"```\n(.*?)```", text, re.S):
        topic, cur = None, []
        for line in block.splitlines() + [""]:
            m = re.match(r'topic: "(.*)"$', line)
            if m:
                topic = m.group(1)
            if line.startswith("{") or not line.strip() or m:
                if cur:
                    joined = "".join(cur)
                    if "..." not in joined:
                        out.append((topic, json.loads(joined)))
                cur = []
            if line.startswith("{") or (cur and line.startswith(" ")):
                cur.append(line)
    return out


def approx_equal(a, b):
    if isinstance(a, float) or isinstance(b, float):
        return (isinstance(a, (int, float)) and isinstance(b, (int, float))
                and abs(a - b) <= 1e-12)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(approx_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(approx_equal(x, y) for x, y in zip(a, b))
    return a == b and type(a) == type(b)


REQUEST_TYPES = {"snapshot_request", "decision_submit", "detail_request"}


def run_doc_examples(push, peer, doc_path):
    """The document's own examples: valid by the Python tables, accepted by
    the C codec, and decoded to the same values."""
    examples = doc_examples(doc_path)
    types = sorted({ex.get("type") for _, ex in examples})
    check(len(types) >= 16, f"doc examples: only {types}")
    for topic, ex in examples:
        t = ex.get("type")
        where = f"doc example {t}"
        if t in KNOWN_EVENT_KEYS:
            push.send(json.dumps(ex).encode())
            got = peer.line()
            check(got is not None and got.startswith("OK ")
                  and json.loads(got[3:]) == normalised(ex), f"{where}: peer said {got!r}")
            continue
        header = (HDR_FEED if t in FEED_TYPES else
                  HDR_REQUEST if t in REQUEST_TYPES else HDR_REPLY)
        validate_body(where, ex, header)
        if topic is not None:
            kind = TOPIC_KIND.get(t)
            want = f"{kind}." if t == "heartbeat" else f"{kind}.{ex.get('queue')}."
            check(topic == want, f"{where}: topic {topic!r} != {want!r}")
        push.send(b"\0MSG" + pack(ex))
        got = peer.line()
        ok = got is not None and got.startswith("MSG OK ")
        check(ok and approx_equal(json.loads(got[7:]), ex), f"{where}: peer said {got!r}")
        if t in EXPECTED_FEED:
            exp = EXPECTED_FEED[t]
            check(approx_equal({k: v for k, v in ex.items() if k in exp}, exp),
                  f"{where}: differs from the encoder's example values")


# ---------------------------------------------------------------- the run
class Peer:
    def __init__(self, binary, tmp):
        self.ep = {n: f"ipc://{tmp}/{n}" for n in ("ingest", "feed", "req")}
        self.proc = subprocess.Popen([binary, self.ep["ingest"], self.ep["feed"],
                                      self.ep["req"]], stdout=subprocess.PIPE)
        self.buf = b""
        check(self.line() == "READY", "peer did not start")

    def line(self, timeout=TIMEOUT_S):
        end = time.monotonic() + timeout
        while b"\n" not in self.buf:
            left = end - time.monotonic()
            if left <= 0 or not select.select([self.proc.stdout], [], [], left)[0]:
                return None
            chunk = os.read(self.proc.stdout.fileno(), 1 << 16)
            if not chunk:
                return None
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return line.decode("utf-8")

    def stop(self):
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def run_ingest(push, peer, doc_path):
    frames = []
    for ev in EVENTS:
        frames.append(("msgpack " + ev["type"], pack(ev), normalised(ev)))
        if "future_key" not in ev:
            frames.append(("json " + ev["type"], json.dumps(ev).encode(), normalised(ev)))
    f32 = dict(EVENTS[2])
    frames.append(("float32 voice", pack(f32, use_single_float=True), normalised(f32)))
    # Non-minimal integer encodings: v as int8, ts as uint64, on as true.
    raw = (b"\x85\xa1v\xd0\x01\xa4type\xa4hold\xa4call\xa1c\xa2ts"
           b"\xcf\x00\x00\x00\x00\x00\x00\x00\x05\xa2on\xc3")
    frames.append(("wide ints", raw, {"v": 1, "type": "hold", "call": "c", "ts": 5, "on": True}))
    doc = doc_hex_example(doc_path)
    doc_obj = {"v": 1, "type": "hold", "call": "c-1001", "ts": 1764000060000, "on": True}
    check(unpack_body(doc) == doc_obj, "doc hex example does not decode to its JSON")
    check(pack(doc_obj) == doc, "doc hex example is not the canonical packing")
    frames.append(("doc hex example", doc, doc_obj))
    for what, frame, want in frames:
        push.send(frame)
        got = peer.line()
        if got is None or not got.startswith("OK "):
            check(False, f"ingest {what}: peer said {got!r}")
            continue
        check(json.loads(got[3:]) == want, f"ingest {what}: {got[3:]} != {want}")
    for what, frame, want in bad_bodies():
        push.send(frame)
        got = peer.line()
        if want is None:
            ok = got in ("ERR truncated -", "ERR count_exceeds -")
            check(ok, f"bad {what}: {got!r}")
        else:
            check(got == want, f"bad {what}: peer said {got!r}, want {want!r}")


def run_feed(push, sub, peer, doc_path):
    seen = {}
    end = time.monotonic() + TIMEOUT_S
    while len(seen) < len(FEED_TYPES) and time.monotonic() < end:
        push.send(b"\0PUBLISH")
        while sub.poll(300):
            frames = sub.recv_multipart()
            check(len(frames) == 2, f"feed: {len(frames)} frames")
            body = unpack_body(frames[1])
            seen.setdefault(body.get("type"), (frames[0], body, frames[1]))
    check(sorted(seen) == sorted(FEED_TYPES), f"feed: got types {sorted(seen)}")
    for t, (topic, body, raw) in seen.items():
        where = f"feed {t}"
        validate_body(where, body, HDR_FEED)
        kind = TOPIC_KIND.get(t)
        want = f"{kind}." if t == "heartbeat" else f"{kind}.{body.get('queue')}."
        check(topic == want.encode(), f"{where}: topic {topic!r} != {want!r}")
        check(len(topic) <= 69, f"{where}: topic too long")
        exp = EXPECTED_FEED[t]
        got = {k: v for k, v in body.items() if k in exp}
        check(got == exp, f"{where}: values {got} != {exp}")
        check(body.get("pub") == "an-1" and body.get("tseq") == 42,
              f"{where}: header {body}")
        if t == "heartbeat":
            doc = doc_heartbeat_hex(doc_path)
            check(unpack_body(doc) == dict(body, seq=5000000005),
                  "doc heartbeat hex differs from the encoder's heartbeat")
    seqs = sorted(b.get("seq") for _, b, _ in seen.values())
    check(len(set(seqs)) == len(seqs), f"feed: repeated seq {seqs}")


def request(dealer, body, n_replies):
    dealer.send(pack(body) if isinstance(body, dict) else body)
    out = []
    while len(out) < n_replies and dealer.poll(int(TIMEOUT_S * 1000)):
        frames = dealer.recv_multipart()
        check(len(frames) == 1, f"reply: {len(frames)} frames")
        out.append(unpack_body(frames[-1]))
    check(len(out) == n_replies, f"request {body!r}: {len(out)} replies")
    return out


def run_requests(dealer, peer):
    snap = request(dealer, {"v": 1, "type": "snapshot_request", "req": 5,
                            "pub": "py-console", "queue": "billing"}, 4)
    types = [r.get("type") for r in snap]
    check(types == ["snapshot_begin", "call_update", "suggestion_raised", "snapshot_end"],
          f"snapshot stream {types}")
    for i, r in enumerate(snap):
        validate_body(f"snapshot[{i}]", r, HDR_REPLY)
        check(r.get("req") == 5, f"snapshot[{i}] req {r.get('req')}")
    if len(snap) == 4:
        check(len({r.get("seq") for r in snap}) == 1, "snapshot: seq differs between messages")
        check(snap[0].get("queue") == "billing" and snap[0].get("calls") == 1
              and snap[0].get("suggestions") == 1, f"snapshot_begin {snap[0]}")
        check(snap[3].get("calls") == 1 and snap[3].get("suggestions") == 1,
              f"snapshot_end {snap[3]}")
    dec = {"v": 1, "type": "decision_submit", "req": 6, "pub": "py-console",
           "uuid": "0b7f6c1e-1111-4222-8333-944445555666", "call": "c-1001",
           "queue": "billing", "decision": "tag", "label": "billing_error",
           "text": "Customer \u00e9crit: refund promised \U0001F4B8",
           "supervisor": "sup-9", "at": TS0 + 1}
    validate_body("decision_submit (ours)", dec, HDR_REQUEST)
    ack = request(dealer, dec, 1)
    if ack:
        validate_body("decision_ack", ack[0], HDR_REPLY)
        check(ack[0].get("type") == "decision_ack" and ack[0].get("ok") is True
              and ack[0].get("uuid") == dec["uuid"] and ack[0].get("req") == 6,
              f"decision_ack {ack[0]}")
    got = peer.line()
    check(got is not None and got.startswith("DECISION ")
          and json.loads(got[9:]) == dec, f"peer decoded decision as {got!r}")
    err = request(dealer, b"\xc1", 1)
    if err:
        validate_body("error", err[0], HDR_REPLY)
        check(err[0].get("type") == "error" and err[0].get("code") == "bad_request"
              and err[0].get("req") == 0, f"error reply {err[0]}")
    bad = request(dealer, {"v": 1, "type": "snapshot_request", "req": 8, "queue": 5}, 1)
    if bad:
        check(bad[0].get("type") == "error" and bad[0].get("text") == "wrong_type queue",
              f"error reply {bad[0]}")


def main():
    binary, doc_path = sys.argv[1], sys.argv[2]
    tmp = tempfile.mkdtemp(prefix="ut-conf-")
    ctx = zmq.Context()
    peer = None
    socks = []
    try:
        peer = Peer(binary, tmp)
        push = ctx.socket(zmq.PUSH)
        sub = ctx.socket(zmq.SUB)
        dealer = ctx.socket(zmq.DEALER)
        socks = [push, sub, dealer]
        for s in socks:
            s.setsockopt(zmq.LINGER, 0)
        push.setsockopt(zmq.SNDTIMEO, int(TIMEOUT_S * 1000))
        dealer.setsockopt(zmq.SNDTIMEO, int(TIMEOUT_S * 1000))
        push.connect(peer.ep["ingest"])
        sub.connect(peer.ep["feed"])
        sub.setsockopt(zmq.SUBSCRIBE, b"")
        dealer.connect(peer.ep["req"])
        run_ingest(push, peer, doc_path)
        run_doc_examples(push, peer, doc_path)
        run_feed(push, sub, peer, doc_path)
        run_requests(dealer, peer)
        push.send(b"\0QUIT")
    finally:
        for s in socks:
            s.close()
        ctx.term()
        if peer:
            peer.stop()
            check(peer.proc.returncode == 0, f"peer exit status {peer.proc.returncode}")
        shutil.rmtree(tmp, ignore_errors=True)
    if FAILURES:
        print(f"{len(FAILURES)} conformance failure(s)", file=sys.stderr)
        return 1
    print("conformance: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
