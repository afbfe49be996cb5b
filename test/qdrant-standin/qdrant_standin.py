#!/usr/bin/env python3
"""qdrant stand-in (apex test double).

NOT Qdrant. A small, in-memory, stdlib-only HTTP server that answers the
subset of Qdrant's REST API (shapes per Qdrant 1.15 OpenAPI) that apex and
its tests use, because no real Qdrant build can be obtained on the CI
machines (no container registry, no GitHub downloads, no Rust toolchain
build of qdrant from crates.io).

Usage:
    python3 qdrant_standin.py [--host 127.0.0.1] [--port 6333] [--storage DIR]

Environment (overridden by flags):
    QDRANT_STANDIN_HOST / QDRANT__SERVICE__HOST      (default 127.0.0.1)
    QDRANT_STANDIN_PORT / QDRANT__SERVICE__HTTP_PORT (default 6333)
    QDRANT_STANDIN_STORAGE / QDRANT__STORAGE__STORAGE_PATH
        optional directory; when set, collections are persisted as JSON
        (flushed at most once a second, less often for big stores, and on
        SIGTERM/SIGINT).
    QDRANT_API_KEY / QDRANT__SERVICE__API_KEY
        optional; when set, every request except /, /healthz, /readyz and
        /livez must send it in the `api-key` header (or
        `Authorization: Bearer <key>`).

Implemented (all JSON responses wrapped as {"result", "status":"ok", "time"};
errors as {"status":{"error": msg}, "time"}):
    GET  /  /healthz  /readyz  /livez  /telemetry (minimal)  /metrics (minimal)
    GET  /collections
    GET|PUT|PATCH|DELETE /collections/{name}
    GET  /collections/{name}/exists
    PUT  /collections/{name}/index            DELETE /collections/{name}/index/{field}
    PUT  /collections/{name}/points           (points list or batch form)
    POST /collections/{name}/points           (retrieve by ids)
    GET  /collections/{name}/points/{id}
    POST /collections/{name}/points/delete    (ids or filter)
    POST /collections/{name}/points/count
    POST /collections/{name}/points/scroll
    POST /collections/{name}/points/search
    POST /collections/{name}/points/search/batch
    POST /collections/{name}/points/query
    POST|PUT /collections/{name}/points/payload   POST .../payload/delete, .../payload/clear
Filters: must / should / must_not / min_should, nested filters, and the
conditions match{value|any|except|text}, range{gt,gte,lt,lte}, has_id,
is_empty, is_null, values_count.
"""

import argparse
import copy
import json
import math
import os
import re
import signal
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

VERSION = "1.15.1-standin"
TITLE = "qdrant stand-in (apex test double)"

DISTANCES = {"cosine": "Cosine", "dot": "Dot", "euclid": "Euclid", "manhattan": "Manhattan"}
NAME_RE = re.compile(r"^[^/\\\x00]{1,255}$")


class ApiError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def bad(msg):
    return ApiError(400, "Wrong input: " + msg)


def not_found_collection(name):
    return ApiError(404, "Not found: Collection `%s` doesn't exist!" % name)


# --------------------------------------------------------------------- ids

def norm_id(raw):
    """Qdrant point ids: unsigned 64-bit integers or UUID strings."""
    if isinstance(raw, bool):
        raise ApiError(400, "Format error in JSON body: data did not match any variant of untagged enum ExtendedPointId")
    if isinstance(raw, int):
        if raw < 0 or raw >= 2 ** 64:
            raise ApiError(400, "Format error in JSON body: invalid value: integer `%d`, expected u64" % raw)
        return raw
    if isinstance(raw, str):
        try:
            return str(uuid.UUID(raw))
        except ValueError:
            raise ApiError(400, "Unable to parse UUID: %s" % raw)
    raise ApiError(400, "Format error in JSON body: data did not match any variant of untagged enum ExtendedPointId")


def id_sort_key(pid):
    # Qdrant orders numeric ids before UUIDs.
    return (0, pid, "") if isinstance(pid, int) else (1, 0, pid)


# ------------------------------------------------------------- vectors

def parse_vector_params(body_vectors):
    """Return dict name -> {"size", "distance", ...}; "" is the unnamed vector."""
    if body_vectors is None:
        return {}
    if not isinstance(body_vectors, dict):
        raise ApiError(400, "Format error in JSON body: vectors must be an object")

    def one(p, label):
        if not isinstance(p, dict) or "size" not in p or "distance" not in p:
            raise ApiError(400, "Format error in JSON body: missing field `size` or `distance` in %s" % label)
        size = p["size"]
        if not isinstance(size, int) or isinstance(size, bool) or size < 1:
            raise bad("Validation error in JSON body: [vectors.size: value %r invalid, must be 1 or larger]" % (size,))
        dist = DISTANCES.get(str(p["distance"]).lower())
        if dist is None:
            raise ApiError(400, "Format error in JSON body: unknown variant `%s`, expected one of `Cosine`, `Euclid`, `Dot`, `Manhattan`" % p["distance"])
        out = dict(p)
        out["size"] = size
        out["distance"] = dist
        return out

    if "size" in body_vectors or "distance" in body_vectors:
        return {"": one(body_vectors, "vectors")}
    return {name: one(p, "vectors." + name) for name, p in body_vectors.items()}


def normalize(vec):
    n = math.sqrt(sum(x * x for x in vec))
    if n == 0:
        return list(vec)
    return [x / n for x in vec]


def score(distance, a, b):
    if distance in ("Cosine", "Dot"):
        return sum(x * y for x, y in zip(a, b))
    if distance == "Euclid":
        return math.sqrt(sum((x - y) ** 2 for x, y in zip(a, b)))
    return sum(abs(x - y) for x, y in zip(a, b))  # Manhattan


def higher_is_better(distance):
    return distance in ("Cosine", "Dot")


def check_numbers(vec, label):
    if not isinstance(vec, list) or not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in vec):
        raise ApiError(400, "Format error in JSON body: %s must be an array of numbers" % label)
    return [float(x) for x in vec]


# ------------------------------------------------------------- payload paths

def get_path(payload, key):
    """Resolve a dotted key (with optional [] array markers) to a list of values."""
    parts = [p for p in key.replace("[]", "").split(".") if p != ""]
    cur = [payload]
    for part in parts:
        nxt = []
        for v in cur:
            if isinstance(v, list):
                for item in v:
                    if isinstance(item, dict) and part in item:
                        nxt.append(item[part])
            elif isinstance(v, dict) and part in v:
                nxt.append(v[part])
        cur = nxt
    out = []
    for v in cur:
        if isinstance(v, list):
            out.extend(v)
        else:
            out.append(v)
    return out


def raw_path(payload, key):
    parts = [p for p in key.split(".") if p != ""]
    cur = payload
    for part in parts:
        if isinstance(cur, dict) and part in cur:
            cur = cur[part]
        else:
            return None, False
    return cur, True


# ------------------------------------------------------------- filters

def eval_filter(flt, point):
    if flt is None:
        return True
    if not isinstance(flt, dict):
        raise ApiError(400, "Format error in JSON body: filter must be an object")

    def as_list(c):
        if c is None:
            return []
        return c if isinstance(c, list) else [c]

    for c in as_list(flt.get("must")):
        if not eval_condition(c, point):
            return False
    for c in as_list(flt.get("must_not")):
        if eval_condition(c, point):
            return False
    should = as_list(flt.get("should"))
    if should and not any(eval_condition(c, point) for c in should):
        return False
    ms = flt.get("min_should")
    if ms:
        conds = as_list(ms.get("conditions"))
        need = int(ms.get("min_count", 1))
        if sum(1 for c in conds if eval_condition(c, point)) < need:
            return False
    return True


def eval_condition(cond, point):
    if not isinstance(cond, dict):
        raise ApiError(400, "Format error in JSON body: condition must be an object")
    if any(k in cond for k in ("must", "should", "must_not", "min_should")):
        return eval_filter(cond, point)
    if "has_id" in cond:
        ids = {norm_id(i) for i in cond["has_id"]}
        return point["id"] in ids
    if "is_empty" in cond:
        vals = [v for v in get_path(point["payload"], cond["is_empty"]["key"]) if v is not None]
        return len(vals) == 0
    if "is_null" in cond:
        val, found = raw_path(point["payload"], cond["is_null"]["key"])
        return found and val is None
    if "nested" in cond:
        nested = cond["nested"]
        items = get_path(point["payload"], nested["key"])
        return any(eval_filter(nested.get("filter"), {"id": point["id"], "payload": it if isinstance(it, dict) else {}}) for it in items)
    if "has_vector" in cond:
        return cond["has_vector"] in point.get("vector", {})
    key = cond.get("key")
    if key is None:
        raise ApiError(400, "Format error in JSON body: unsupported condition %s" % json.dumps(cond))
    values = get_path(point["payload"], key)
    if "match" in cond:
        m = cond["match"]
        if "value" in m:
            want = m["value"]
            return any(v == want and isinstance(v, bool) == isinstance(want, bool) for v in values)
        if "any" in m:
            return any(v in m["any"] for v in values if not isinstance(v, (dict, list)))
        if "except" in m:
            return not any(v in m["except"] for v in values if not isinstance(v, (dict, list)))
        if "text" in m:
            return any(isinstance(v, str) and m["text"] in v for v in values)
        if "phrase" in m:
            return any(isinstance(v, str) and m["phrase"] in v for v in values)
        raise ApiError(400, "Format error in JSON body: unsupported match %s" % json.dumps(m))
    if "range" in cond:
        r = cond["range"]

        def ok(v):
            if isinstance(v, bool) or not isinstance(v, (int, float, str)):
                return False
            try:
                if r.get("gt") is not None and not v > r["gt"]:
                    return False
                if r.get("gte") is not None and not v >= r["gte"]:
                    return False
                if r.get("lt") is not None and not v < r["lt"]:
                    return False
                if r.get("lte") is not None and not v <= r["lte"]:
                    return False
            except TypeError:
                return False
            return True
        return any(ok(v) for v in values)
    if "values_count" in cond:
        r = cond["values_count"]
        n = len(values)
        return ((r.get("gt") is None or n > r["gt"]) and (r.get("gte") is None or n >= r["gte"])
                and (r.get("lt") is None or n < r["lt"]) and (r.get("lte") is None or n <= r["lte"]))
    raise ApiError(400, "Format error in JSON body: unsupported condition %s" % json.dumps(cond))


# ------------------------------------------------------------- storage

class Collection:
    def __init__(self, name, body):
        self.name = name
        self.vectors = parse_vector_params(body.get("vectors"))
        self.config_extra = {k: v for k, v in body.items() if k not in ("vectors",)}
        self.points = {}          # id -> {"id", "vector": {name: [..]}, "payload": {}}
        self.payload_schema = {}  # field -> {"data_type", "params"?}
        self.op = 0

    # ---- (de)serialisation for optional persistence
    def dump(self):
        return {"name": self.name, "vectors": self.vectors, "config_extra": self.config_extra,
                "payload_schema": self.payload_schema, "op": self.op,
                "points": list(self.points.values())}

    @classmethod
    def load(cls, d):
        c = cls.__new__(cls)
        c.name = d["name"]
        c.vectors = d["vectors"]
        c.config_extra = d.get("config_extra", {})
        c.payload_schema = d.get("payload_schema", {})
        c.op = d.get("op", 0)
        c.points = {}
        for p in d.get("points", []):
            pid = p["id"]
            c.points[pid] = p
        return c

    def next_op(self):
        self.op += 1
        return self.op

    def info(self):
        if set(self.vectors.keys()) == {""}:
            vectors = self.vectors[""]
        else:
            vectors = self.vectors
        schema = {}
        for field, spec in self.payload_schema.items():
            entry = dict(spec)
            entry["points"] = sum(1 for p in self.points.values() if get_path(p["payload"], field))
            schema[field] = entry
        params = {"vectors": vectors, "shard_number": 1, "replication_factor": 1,
                  "write_consistency_factor": 1, "on_disk_payload": True}
        for k in ("shard_number", "replication_factor", "write_consistency_factor", "on_disk_payload", "sparse_vectors"):
            if k in self.config_extra:
                params[k] = self.config_extra[k]
        return {
            "status": "green",
            "optimizer_status": "ok",
            "indexed_vectors_count": 0,
            "points_count": len(self.points),
            "segments_count": 1,
            "config": {
                "params": params,
                "hnsw_config": {"m": 16, "ef_construct": 100, "full_scan_threshold": 10000,
                                "max_indexing_threads": 0, "on_disk": False},
                "optimizer_config": {"deleted_threshold": 0.2, "vacuum_min_vector_number": 1000,
                                     "default_segment_number": 0, "max_segment_size": None,
                                     "memmap_threshold": None, "indexing_threshold": 10000,
                                     "flush_interval_sec": 5, "max_optimization_threads": None},
                "wal_config": {"wal_capacity_mb": 32, "wal_segments_ahead": 0},
                "quantization_config": None,
                "strict_mode_config": {"enabled": False},
            },
            "payload_schema": schema,
        }

    # ---- vectors
    def coerce_point_vector(self, vec):
        """Validate and return {name: vector}."""
        if vec is None:
            return {}
        if isinstance(vec, list):
            if "" not in self.vectors:
                raise bad("Not existing vector name error: ")
            return {"": self.check_dim("", vec)}
        if isinstance(vec, dict):
            out = {}
            for name, v in vec.items():
                if name not in self.vectors:
                    raise bad("Not existing vector name error: %s" % name)
                out[name] = self.check_dim(name, v)
            return out
        raise ApiError(400, "Format error in JSON body: invalid vector")

    def check_dim(self, name, vec):
        vec = check_numbers(vec, "vector")
        size = self.vectors[name]["size"]
        if len(vec) != size:
            raise bad("Vector dimension error: expected dim: %d, got %d" % (size, len(vec)))
        if self.vectors[name]["distance"] == "Cosine":
            vec = normalize(vec)
        return vec

    def record(self, p, with_payload=True, with_vector=False):
        rec = {"id": p["id"]}
        rec["payload"] = select_payload(p["payload"], with_payload)
        rec["vector"] = select_vector(p["vector"], with_vector)
        return rec


def select_payload(payload, spec):
    if spec is None or spec is False:
        return None
    if spec is True:
        return copy.deepcopy(payload)
    if isinstance(spec, list):
        return {k: copy.deepcopy(payload[k]) for k in spec if k in payload}
    if isinstance(spec, dict):
        if "include" in spec:
            return {k: copy.deepcopy(payload[k]) for k in spec["include"] if k in payload}
        if "exclude" in spec:
            return {k: copy.deepcopy(v) for k, v in payload.items() if k not in spec["exclude"]}
    return copy.deepcopy(payload)


def select_vector(vectors, spec):
    if spec is None or spec is False:
        return None
    if spec is True:
        names = list(vectors.keys())
    elif isinstance(spec, list):
        names = [n for n in spec if n in vectors]
    else:
        names = list(vectors.keys())
    if names == [""] or (spec is True and set(vectors.keys()) == {""}):
        return list(vectors.get("", []))
    return {n: list(vectors[n]) for n in names if n != ""}


class Store:
    def __init__(self, storage_dir=None):
        self.lock = threading.RLock()
        self.collections = {}
        self.aliases = {}
        self.storage_dir = storage_dir
        self.dirty = False
        if storage_dir:
            os.makedirs(storage_dir, exist_ok=True)
            path = os.path.join(storage_dir, "standin-collections.json")
            if os.path.exists(path):
                with open(path) as f:
                    data = json.load(f)
                for d in data.get("collections", []):
                    c = Collection.load(d)
                    self.collections[c.name] = c
                self.aliases = data.get("aliases", {})

    def mark(self):
        self.dirty = True

    def flush(self):
        if not self.storage_dir:
            return
        with self.lock:
            if not self.dirty:
                return
            data = json.dumps({"collections": [c.dump() for c in self.collections.values()],
                               "aliases": self.aliases})
            self.dirty = False
        path = os.path.join(self.storage_dir, "standin-collections.json")
        tmp = path + ".tmp"
        with open(tmp, "w") as f:
            f.write(data)
        os.replace(tmp, path)

    def get(self, name):
        name = self.aliases.get(name, name)
        c = self.collections.get(name)
        if c is None:
            raise not_found_collection(name)
        return c


# ------------------------------------------------------------- HTTP

class Handler(BaseHTTPRequestHandler):
    server_version = "qdrant-standin/" + VERSION
    protocol_version = "HTTP/1.1"
    store = None
    api_key = None
    quiet = False

    def log_message(self, fmt, *args):
        if not self.quiet:
            sys.stderr.write("%s %s\n" % (time.strftime("%Y-%m-%dT%H:%M:%S"), fmt % args))

    # ---- plumbing
    def _send(self, code, body, content_type="application/json"):
        data = body if isinstance(body, bytes) else body.encode()
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def ok(self, result, started):
        self._send(200, json.dumps({"result": result, "status": "ok", "time": round(time.time() - started, 6)}))

    def err(self, code, msg, started):
        self._send(code, json.dumps({"status": {"error": msg}, "time": round(time.time() - started, 6)}))

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n > 0 else b""
        if not raw.strip():
            return {}
        try:
            data = json.loads(raw)
        except ValueError as e:
            raise ApiError(400, "Format error in JSON body: %s" % e)
        if not isinstance(data, dict):
            raise ApiError(400, "Format error in JSON body: expected an object")
        return data

    def do_GET(self):
        self.dispatch("GET")

    def do_HEAD(self):
        self.dispatch("GET")

    def do_PUT(self):
        self.dispatch("PUT")

    def do_POST(self):
        self.dispatch("POST")

    def do_DELETE(self):
        self.dispatch("DELETE")

    def do_PATCH(self):
        self.dispatch("PATCH")

    def dispatch(self, method):
        started = time.time()
        url = urlsplit(self.path)
        path = url.path.rstrip("/") or "/"
        self.query = parse_qs(url.query)
        try:
            if path in ("/healthz", "/livez"):
                # drain any body to keep the connection usable
                self.body() if method != "GET" else None
                return self._send(200, "healthz check passed", "text/plain; charset=utf-8")
            if path == "/readyz":
                return self._send(200, "all shards are ready", "text/plain; charset=utf-8")
            if path == "/":
                return self._send(200, json.dumps({"title": TITLE, "version": VERSION, "commit": "standin"}))
            if self.api_key:
                given = self.headers.get("api-key")
                auth = self.headers.get("Authorization") or ""
                if not given and auth.lower().startswith("bearer "):
                    given = auth[7:].strip()
                if given != self.api_key:
                    n = int(self.headers.get("Content-Length") or 0)
                    if n:
                        self.rfile.read(n)
                    msg = "Must provide an API key or an Authorization bearer token" if not given else "Invalid API key or JWT"
                    return self.err(401, msg, started)
            result = self.route(method, path)
            self.ok(result, started)
        except ApiError as e:
            self.err(e.code, e.message, started)
        except Exception as e:  # pragma: no cover - keeps the server alive
            self.err(500, "Service internal error: %s: %s" % (type(e).__name__, e), started)

    def route(self, method, path):
        parts = [unquote(p) for p in path.strip("/").split("/")]
        st = self.store
        if parts == ["telemetry"]:
            with st.lock:
                return {"id": "standin", "app": {"name": "qdrant", "version": VERSION},
                        "collections": {"number_of_collections": len(st.collections)}}
        if parts == ["metrics"]:
            with st.lock:
                n = len(st.collections)
            raise _Raw("# HELP collections_total number of collections\n# TYPE collections_total gauge\ncollections_total %d\n" % n)
        if parts == ["collections"] and method == "GET":
            with st.lock:
                return {"collections": [{"name": n} for n in sorted(st.collections)]}
        if parts == ["aliases"] and method == "GET":
            with st.lock:
                return {"aliases": [{"alias_name": a, "collection_name": c} for a, c in st.aliases.items()]}
        if parts == ["collections", "aliases"] and method == "POST":
            return self.update_aliases(self.body())
        if len(parts) < 2 or parts[0] != "collections":
            raise ApiError(404, "Not found: %s" % path)
        name = parts[1]
        rest = parts[2:]
        if not rest:
            if method == "GET":
                with st.lock:
                    return st.get(name).info()
            if method == "PUT":
                return self.create_collection(name, self.body())
            if method == "PATCH":
                self.body()
                with st.lock:
                    st.get(name)
                return True
            if method == "DELETE":
                with st.lock:
                    existed = st.collections.pop(name, None) is not None
                    st.aliases = {a: c for a, c in st.aliases.items() if c != name}
                    st.mark()
                return existed
        if rest == ["exists"] and method == "GET":
            with st.lock:
                return {"exists": st.aliases.get(name, name) in st.collections}
        if rest == ["aliases"] and method == "GET":
            with st.lock:
                st.get(name)
                return {"aliases": [{"alias_name": a, "collection_name": c} for a, c in st.aliases.items() if c == name]}
        if rest == ["index"] and method == "PUT":
            return self.create_index(name, self.body())
        if len(rest) == 2 and rest[0] == "index" and method == "DELETE":
            with st.lock:
                c = st.get(name)
                c.payload_schema.pop(rest[1], None)
                st.mark()
                return self.update_result(c)
        if rest and rest[0] == "points":
            return self.points(method, name, rest[1:])
        raise ApiError(404, "Not found: %s %s" % (method, path))

    # ---- collections
    def create_collection(self, name, body):
        if not NAME_RE.match(name):
            raise bad("Validation error in path parameters: [name: value %s invalid]" % name)
        if "vectors" not in body and "sparse_vectors" not in body:
            raise ApiError(400, "Format error in JSON body: missing field `vectors`")
        c = Collection(name, body)
        with self.store.lock:
            if name in self.store.collections:
                raise ApiError(409, "Wrong input: Collection `%s` already exists!" % name)
            self.store.collections[name] = c
            self.store.mark()
        return True

    def update_aliases(self, body):
        st = self.store
        with st.lock:
            for action in body.get("actions", []):
                if "create_alias" in action:
                    a = action["create_alias"]
                    if a["collection_name"] not in st.collections:
                        raise not_found_collection(a["collection_name"])
                    st.aliases[a["alias_name"]] = a["collection_name"]
                elif "delete_alias" in action:
                    st.aliases.pop(action["delete_alias"]["alias_name"], None)
                elif "rename_alias" in action:
                    r = action["rename_alias"]
                    if r["old_alias_name"] in st.aliases:
                        st.aliases[r["new_alias_name"]] = st.aliases.pop(r["old_alias_name"])
            st.mark()
        return True

    def create_index(self, name, body):
        field = body.get("field_name")
        if not isinstance(field, str) or not field:
            raise ApiError(400, "Format error in JSON body: missing field `field_name`")
        schema = body.get("field_schema")
        if isinstance(schema, dict):
            spec = {"data_type": schema.get("type", "keyword"), "params": schema}
        elif isinstance(schema, str):
            spec = {"data_type": schema}
        else:
            spec = {"data_type": "keyword"}
        with self.store.lock:
            c = self.store.get(name)
            c.payload_schema[field] = spec
            self.store.mark()
            return self.update_result(c)

    def update_result(self, c):
        wait = (self.query.get("wait") or ["false"])[0].lower() == "true"
        return {"operation_id": c.next_op(), "status": "completed" if wait else "acknowledged"}

    # ---- points
    def points(self, method, name, rest):
        st = self.store
        if not rest and method == "PUT":
            return self.upsert(name, self.body())
        if not rest and method == "POST":
            body = self.body()
            ids = body.get("ids")
            if not isinstance(ids, list):
                raise ApiError(400, "Format error in JSON body: missing field `ids`")
            ids = [norm_id(i) for i in ids]
            with st.lock:
                c = st.get(name)
                wp = body.get("with_payload", True)
                wv = body.get("with_vector", body.get("with_vectors", False))
                return [c.record(c.points[i], wp, wv) for i in ids if i in c.points]
        if len(rest) == 1 and method == "GET" and rest[0] not in ("count", "scroll", "search", "query", "delete", "payload"):
            pid = norm_id(int(rest[0]) if rest[0].isdigit() else rest[0])
            with st.lock:
                c = st.get(name)
                if pid not in c.points:
                    raise ApiError(404, "Not found: No point with id %s found" % pid)
                return c.record(c.points[pid], True, True)
        if rest == ["delete"] and method == "POST":
            body = self.body()
            with st.lock:
                c = st.get(name)
                victims = self.select(c, body)
                for pid in victims:
                    c.points.pop(pid, None)
                st.mark()
                return self.update_result(c)
        if rest == ["count"] and method == "POST":
            body = self.body()
            with st.lock:
                c = st.get(name)
                flt = body.get("filter")
                return {"count": sum(1 for p in c.points.values() if eval_filter(flt, p))}
        if rest == ["scroll"] and method == "POST":
            return self.scroll(name, self.body())
        if rest == ["search"] and method == "POST":
            return self.search(name, self.body())
        if rest == ["search", "batch"] and method == "POST":
            body = self.body()
            return [self.search(name, s) for s in body.get("searches", [])]
        if rest == ["query"] and method == "POST":
            return self.query_points(name, self.body())
        if rest == ["payload"] and method in ("POST", "PUT"):
            body = self.body()
            payload = body.get("payload")
            if not isinstance(payload, dict):
                raise ApiError(400, "Format error in JSON body: missing field `payload`")
            with st.lock:
                c = st.get(name)
                for pid in self.select(c, body):
                    if pid in c.points:
                        if method == "PUT":
                            c.points[pid]["payload"] = copy.deepcopy(payload)
                        else:
                            c.points[pid]["payload"].update(copy.deepcopy(payload))
                st.mark()
                return self.update_result(c)
        if rest == ["payload", "delete"] and method == "POST":
            body = self.body()
            keys = body.get("keys") or []
            with st.lock:
                c = st.get(name)
                for pid in self.select(c, body):
                    if pid in c.points:
                        for k in keys:
                            c.points[pid]["payload"].pop(k, None)
                st.mark()
                return self.update_result(c)
        if rest == ["payload", "clear"] and method == "POST":
            body = self.body()
            with st.lock:
                c = st.get(name)
                for pid in self.select(c, body):
                    if pid in c.points:
                        c.points[pid]["payload"] = {}
                st.mark()
                return self.update_result(c)
        raise ApiError(404, "Not found: %s /collections/%s/points/%s" % (method, name, "/".join(rest)))

    def select(self, c, body):
        """Point ids chosen by {points:[ids]} or {filter} (or {points:{filter}})."""
        pts = body.get("points")
        flt = body.get("filter")
        if isinstance(pts, dict) and "filter" in pts:
            flt, pts = pts["filter"], None
        if isinstance(pts, list):
            ids = [norm_id(i) for i in pts]
            if flt is not None:
                return [i for i in ids if i in c.points and eval_filter(flt, c.points[i])]
            return ids
        if flt is not None:
            return [pid for pid, p in c.points.items() if eval_filter(flt, p)]
        raise ApiError(400, "Format error in JSON body: expected `points` or `filter`")

    def upsert(self, name, body):
        st = self.store
        items = []
        if "points" in body:
            if not isinstance(body["points"], list):
                raise ApiError(400, "Format error in JSON body: `points` must be an array")
            for p in body["points"]:
                if not isinstance(p, dict) or "id" not in p:
                    raise ApiError(400, "Format error in JSON body: missing field `id`")
                items.append((p["id"], p.get("vector", p.get("vectors")), p.get("payload")))
        elif "batch" in body:
            b = body["batch"]
            ids = b.get("ids") or []
            vecs = b.get("vectors")
            pls = b.get("payloads") or [None] * len(ids)
            if isinstance(vecs, dict):
                per = [{k: v[i] for k, v in vecs.items()} for i in range(len(ids))]
            else:
                per = vecs or [None] * len(ids)
            if len(per) != len(ids) or len(pls) != len(ids):
                raise bad("number of ids, vectors and payloads must match")
            items = list(zip(ids, per, pls))
        else:
            raise ApiError(400, "Format error in JSON body: expected `points` or `batch`")
        with st.lock:
            c = st.get(name)
            prepared = []
            for raw_id, vec, payload in items:
                pid = norm_id(raw_id)
                if payload is not None and not isinstance(payload, dict):
                    raise ApiError(400, "Format error in JSON body: payload must be an object")
                v = c.coerce_point_vector(vec)
                if c.vectors and not v:
                    raise bad("Vector is required")
                prepared.append({"id": pid, "vector": v, "payload": copy.deepcopy(payload or {})})
            for p in prepared:
                c.points[p["id"]] = p
            st.mark()
            return self.update_result(c)

    def scroll(self, name, body):
        st = self.store
        limit = body.get("limit", 10)
        if not isinstance(limit, int) or limit < 1:
            raise bad("Validation error in JSON body: [limit: value %r invalid, must be 1 or larger]" % (limit,))
        with st.lock:
            c = st.get(name)
            flt = body.get("filter")
            ordered = sorted((p for p in c.points.values() if eval_filter(flt, p)), key=lambda p: id_sort_key(p["id"]))
            offset = body.get("offset")
            if offset is not None:
                key = id_sort_key(norm_id(offset))
                ordered = [p for p in ordered if id_sort_key(p["id"]) >= key]
            page = ordered[:limit]
            nxt = ordered[limit]["id"] if len(ordered) > limit else None
            wp = body.get("with_payload", True)
            wv = body.get("with_vector", body.get("with_vectors", False))
            return {"points": [c.record(p, wp, wv) for p in page], "next_page_offset": nxt}

    def _query_vector(self, c, q):
        """Return (vector_name, vector) from a search `vector` field."""
        if isinstance(q, list):
            name = ""
            vec = q
        elif isinstance(q, dict) and "vector" in q:
            name = q.get("name", "")
            vec = q["vector"]
        else:
            raise ApiError(400, "Format error in JSON body: unsupported query vector")
        if name not in c.vectors:
            raise bad("Not existing vector name error: %s" % name)
        vec = check_numbers(vec, "vector")
        size = c.vectors[name]["size"]
        if len(vec) != size:
            raise bad("Vector dimension error: expected dim: %d, got %d" % (size, len(vec)))
        if c.vectors[name]["distance"] == "Cosine":
            vec = normalize(vec)
        return name, vec

    def _scored(self, c, name, vec, flt, limit, offset, threshold, wp, wv):
        dist = c.vectors[name]["distance"]
        hib = higher_is_better(dist)
        scored = []
        for p in c.points.values():
            if name not in p["vector"] or not eval_filter(flt, p):
                continue
            s = score(dist, vec, p["vector"][name])
            if threshold is not None and ((hib and s < threshold) or (not hib and s > threshold)):
                continue
            scored.append((s, p))
        scored.sort(key=lambda t: (-t[0] if hib else t[0], id_sort_key(t[1]["id"])))
        out = []
        for s, p in scored[offset:offset + limit]:
            r = c.record(p, wp, wv)
            r["version"] = c.op
            r["score"] = s
            out.append(r)
        return out

    def search(self, name, body):
        if "vector" not in body:
            raise ApiError(400, "Format error in JSON body: missing field `vector`")
        limit = body.get("limit", 10)
        if not isinstance(limit, int) or limit < 1:
            raise bad("Validation error in JSON body: [limit: value %r invalid, must be 1 or larger]" % (limit,))
        with self.store.lock:
            c = self.store.get(name)
            vname, vec = self._query_vector(c, body["vector"])
            return self._scored(c, vname, vec, body.get("filter"), limit, int(body.get("offset") or 0),
                                body.get("score_threshold"), body.get("with_payload", False),
                                body.get("with_vector", body.get("with_vectors", False)))

    def query_points(self, name, body):
        limit = body.get("limit", 10)
        if not isinstance(limit, int) or limit < 1:
            raise bad("Validation error in JSON body: [limit: value %r invalid, must be 1 or larger]" % (limit,))
        q = body.get("query")
        using = body.get("using", "")
        wp = body.get("with_payload", False)
        wv = body.get("with_vector", body.get("with_vectors", False))
        with self.store.lock:
            c = self.store.get(name)
            if q is None:
                # no query: behaves like scroll
                flt = body.get("filter")
                ordered = sorted((p for p in c.points.values() if eval_filter(flt, p)), key=lambda p: id_sort_key(p["id"]))
                off = int(body.get("offset") or 0)
                return {"points": [dict(c.record(p, wp, wv), version=c.op, score=1.0) for p in ordered[off:off + limit]]}
            if isinstance(q, dict) and "nearest" in q:
                q = q["nearest"]
            if isinstance(q, (str, int)) and not isinstance(q, bool):
                pid = norm_id(q)
                if pid not in c.points:
                    raise ApiError(404, "Not found: No point with id %s found" % pid)
                q = c.points[pid]["vector"].get(using)
            if isinstance(q, list):
                q = {"name": using, "vector": q}
            vname, vec = self._query_vector(c, q)
            pts = self._scored(c, vname, vec, body.get("filter"), limit, int(body.get("offset") or 0),
                               body.get("score_threshold"), wp, wv)
            return {"points": pts}


class _Raw(Exception):
    pass


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main(argv=None):
    ap = argparse.ArgumentParser(description=TITLE)
    ap.add_argument("--host", default=os.environ.get("QDRANT_STANDIN_HOST") or os.environ.get("QDRANT__SERVICE__HOST") or "127.0.0.1")
    ap.add_argument("--port", type=int, default=int(os.environ.get("QDRANT_STANDIN_PORT") or os.environ.get("QDRANT__SERVICE__HTTP_PORT") or 6333))
    ap.add_argument("--storage", default=os.environ.get("QDRANT_STANDIN_STORAGE") or os.environ.get("QDRANT__STORAGE__STORAGE_PATH") or None)
    ap.add_argument("--quiet", action="store_true", default=os.environ.get("QDRANT_STANDIN_QUIET") == "1")
    args = ap.parse_args(argv)

    Handler.store = Store(args.storage)
    Handler.api_key = os.environ.get("QDRANT_API_KEY") or os.environ.get("QDRANT__SERVICE__API_KEY") or None
    Handler.quiet = args.quiet

    # /metrics needs a plain-text body: patch route result through exception
    orig_dispatch = Handler.dispatch

    def dispatch(self, method):
        try:
            return orig_dispatch(self, method)
        except _Raw as raw:
            self._send(200, str(raw), "text/plain; version=0.0.4")
    Handler.dispatch = dispatch

    httpd = Server((args.host, args.port), Handler)
    stop = threading.Event()

    def flusher():
        # Flush at most once a second, and back off for big stores so that
        # serialising never takes more than ~5% of the time.
        interval = 1.0
        while not stop.wait(interval):
            t0 = time.time()
            try:
                Handler.store.flush()
            except Exception as e:  # pragma: no cover
                sys.stderr.write("flush failed: %s\n" % e)
            interval = max(1.0, 20 * (time.time() - t0))
    threading.Thread(target=flusher, daemon=True).start()

    def on_signal(signum, frame):
        stop.set()
        threading.Thread(target=httpd.shutdown, daemon=True).start()
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    sys.stderr.write("%s %s listening on http://%s:%d (storage: %s, api-key: %s)\n" % (
        time.strftime("%Y-%m-%dT%H:%M:%S"), TITLE, args.host, args.port,
        args.storage or "memory only", "on" if Handler.api_key else "off"))
    sys.stderr.flush()
    try:
        httpd.serve_forever()
    finally:
        httpd.server_close()
        Handler.store.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
