#!/usr/bin/env python3
"""Must-show 2 of issue 15: one test drives the command/query set three ways against one paper bot.

An interface tentacle written with the SDK (fixture_control_probe) sends every query and every
command through the ABI (query_json; send_command_json with a correlation id, the answer read back
as a command_result event); the same requests go over the control socket and through the CLI
(`cephalo ctl NAME --field value`). Every answer must conform to the documented schema (the table
printed by `cephalo ctl schema --json`), and the three must give the same answers for the same
requests (fields the schema marks as varying aside).

Usage: control_api_check.py CEPHALO WORK_DIR SOCKET PROBE_DIR
"""
import json
import os
import socket
import subprocess
import sys
import time

cephalo, work, socket_path, probe_dir = sys.argv[1:5]
problems = []
checked = {"answers": 0}


def fail(message):
    problems.append(message)
    print("FAIL " + message)


# ---- the documented schema ----------------------------------------------------------------------
schema = json.loads(subprocess.run([cephalo, "ctl", "schema", "--json"], check=True,
                                   capture_output=True, text=True).stdout)
specs = {(r["kind"], r["name"]): r for r in schema["requests"]}


def has_type(value, types):
    for t in types.split("|"):
        if t == "string" and isinstance(value, str):
            return True
        if t == "integer" and isinstance(value, int) and not isinstance(value, bool):
            return True
        if t == "number" and isinstance(value, (int, float)) and not isinstance(value, bool):
            return True
        if t == "boolean" and isinstance(value, bool):
            return True
        if t == "object" and isinstance(value, dict):
            return True
        if t == "array" and isinstance(value, list):
            return True
        if t == "null" and value is None:
            return True
    return False


def values_at(node, segments, where=""):
    """Every (path, value) the documented path names; (path, None-marker) when missing."""
    if not segments:
        yield where, node, True
        return
    if node is None:
        return
    key = segments[0]
    each = key.endswith("[]")
    key = key[:-2] if each else key
    here = (where + "." if where else "") + key
    if not isinstance(node, dict) or key not in node:
        yield here, None, False
        return
    child = node[key]
    if not each:
        yield from values_at(child, segments[1:], here)
        return
    if not isinstance(child, list):
        yield here, child, True  # reported as a type problem by the array field itself
        return
    for i, element in enumerate(child):
        yield from values_at(element, segments[1:], "%s[%d]" % (here, i))


def undocumented(node, prefix, names, out):
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        path = prefix + key
        if path not in names:
            out.append(path + ": not documented")
            continue
        if not any(n.startswith(path + ".") or n.startswith(path + "[].") for n in names):
            continue
        if isinstance(value, list):
            for element in value:
                undocumented(element, path + "[].", names, out)
        else:
            undocumented(value, path + ".", names, out)


def conforms(kind, name, answer, label):
    """The envelope and, when there is one, the result as documented."""
    checked["answers"] += 1
    key = "query" if kind == "query" else "command"
    envelope = schema["query_answer_envelope" if kind == "query" else "command_answer_envelope"]
    allowed = {f["name"] for f in envelope}
    for field in answer:
        if field not in allowed:
            fail("%s: envelope field %s is not documented" % (label, field))
    if answer.get("version") != 1 or answer.get(key) != name or not isinstance(answer.get("ok"), bool):
        fail("%s: bad envelope %s" % (label, json.dumps(answer)[:300]))
        return
    if not answer["ok"]:
        if not isinstance(answer.get("error"), str) or not answer["error"]:
            fail("%s: a refusal without an error text" % label)
    if "result" not in answer:
        if answer["ok"]:
            fail("%s: ok without a result" % label)
        return
    result = answer["result"]
    spec = specs[(kind, name)]
    for field in spec["result"]:
        for path, value, present in values_at(result, field["name"].split(".")):
            if not present:
                fail("%s: %s missing" % (label, path))
            elif not has_type(value, field["type"]):
                fail("%s: %s is %r, documented as %s" % (label, path, value, field["type"]))
    extra = []
    undocumented(result, "", {f["name"] for f in spec["result"]}, extra)
    for problem in extra:
        fail("%s: %s" % (label, problem))


def stripped(kind, name, answer):
    """The answer without what may differ between identical requests (varying fields, the id)."""
    answer = json.loads(json.dumps(answer))
    answer.pop("id", None)
    spec = specs.get((kind, name))
    if spec is None or "result" not in answer:
        return answer
    for field in spec["result"]:
        if not field["varies"]:
            continue
        segments = field["name"].split(".")

        def drop(node, rest):
            if not isinstance(node, dict):
                return
            key = rest[0]
            each = key.endswith("[]")
            key = key[:-2] if each else key
            if key not in node:
                return
            if len(rest) == 1:
                node[key] = "<varies>"
            elif each and isinstance(node[key], list):
                for element in node[key]:
                    drop(element, rest[1:])
            else:
                drop(node[key], rest[1:])

        drop(answer["result"], segments)
    return answer


# ---- the three ways in --------------------------------------------------------------------------
def over_socket(request):
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(60)
        s.connect(socket_path)
        s.sendall((json.dumps(request) + "\n").encode())
        data = b""
        while not data.endswith(b"\n"):
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    return json.loads(data)


def over_cli(request):
    kind = "query" if "query" in request else "command"
    args = [cephalo, "ctl", request[kind], "--socket", socket_path, "--json"]
    for key, value in request.items():
        if key in ("query", "command", "id", "version"):
            continue
        if isinstance(value, bool):
            if value:
                args.append("--" + key)
        elif isinstance(value, (dict, list)):
            args += ["--" + key, json.dumps(value)]
        else:
            args += ["--" + key, str(value)]
    done = subprocess.run(args, capture_output=True, text=True, timeout=120)
    try:
        return json.loads(done.stdout)
    except ValueError:
        return {"cli_error": done.stdout + done.stderr}


probe_files = [0]


def over_interface(requests):
    """Writes NN.requests for the probe and waits for its NN.answers."""
    n = probe_files[0]
    probe_files[0] += 1
    base = os.path.join(probe_dir, "%02d" % n)
    with open(base + ".tmp", "w") as out:
        for request in requests:
            out.write(json.dumps(request) + "\n")
    os.rename(base + ".tmp", base + ".requests")
    deadline = time.time() + 300
    while not os.path.exists(base + ".answers"):
        if time.time() > deadline:
            fail("the interface probe did not answer %s.requests" % base)
            return [{"probe_error": "timeout"}] * len(requests)
        time.sleep(0.05)
    with open(base + ".answers") as answers:
        return [json.loads(line) for line in answers if line.strip()]


def name_of(request):
    return ("query", request["query"]) if "query" in request else ("command", request["command"])


def three_ways(requests, title):
    """Each request through the interface, the socket and the CLI; all must conform and agree."""
    by_interface = over_interface(requests)
    by_socket = [over_socket(r) for r in requests]
    by_cli = [over_cli(r) for r in requests]
    for request, a, b, c in zip(requests, by_interface, by_socket, by_cli):
        kind, name = name_of(request)
        label = "%s %s %s" % (title, kind, name)
        conforms(kind, name, a, label + " (interface)")
        conforms(kind, name, b, label + " (socket)")
        conforms(kind, name, c, label + " (cli)")
        if "id" in request:
            if a.get("id") != request["id"] or b.get("id") != request["id"]:
                fail("%s: the correlation id did not come back" % label)
        sa, sb, sc = (stripped(kind, name, x) for x in (a, b, c))
        if not (sa == sb == sc):
            fail("%s: the three answers differ:\n  interface %s\n  socket    %s\n  cli       %s"
                 % (label, json.dumps(sa)[:400], json.dumps(sb)[:400], json.dumps(sc)[:400]))
    return by_interface


# Phase A: every query, with arguments where they take some. The bot is idle (its data replayed),
# so the three ways see the same state.
queries = [
    {"query": "ping"},
    {"query": "status"},
    {"query": "balances"},
    {"query": "balances", "slot": "b"},
    {"query": "positions"},
    {"query": "open_orders"},
    {"query": "orders", "limit": 20},
    {"query": "orders", "slot": "b", "offset": 2, "limit": 5},
    {"query": "fills", "limit": 10},
    {"query": "trades", "limit": 10},
    {"query": "trades", "slot": "a", "offset": 1, "limit": 3},
    {"query": "performance"},
    {"query": "pnl"},
    {"query": "pnl", "period": "week", "limit": 5},
    {"query": "pnl", "period": "month"},
    {"query": "equity", "points": 50},
    {"query": "candles", "symbol": "ETH/BTC", "timeframe": "5m", "limit": 40,
     "indicators": ["sma:10", "rsi:14", "macd:12:26:9"]},
    {"query": "risk"},
    {"query": "tentacles"},
    {"query": "swaps"},
    {"query": "slots"},
    {"query": "config"},
    {"query": "logs", "limit": 20, "level": "warning"},
    # Refusals are answers too, the same whichever way they come.
    {"query": "candles", "symbol": "XRP/BTC", "timeframe": "5m"},
    {"query": "pnl", "period": "year"},
    {"query": "balances", "slot": "nope"},
]
missing = {name for kind, name in specs if kind == "query"} - {q["query"] for q in queries}
if missing:
    fail("queries not exercised: %s" % sorted(missing))
answers = three_ways(queries, "phase A")
by_query = {}
for request, answer in zip(queries, answers):
    by_query.setdefault(request["query"], answer)

# What the queries must say of this run (two slots, ETH/BTC, the probe among the tentacles).
status = by_query["status"]["result"]
if status["mode"] != "paper" or status["abi"] != "1.5" or status["slots"] != 2:
    fail("status says %s" % status)
if status["connection"] != "replay finished":
    fail("status.connection is %r" % status["connection"])
names = sorted(t["name"] for t in by_query["tentacles"]["result"]["tentacles"])
if "fixture_control_probe" not in names or "grid" not in names:
    fail("tentacles lists %s" % names)
candles = by_query["candles"]["result"]["candles"]
if len(candles) != 40 or candles[-1]["indicators"]["sma:10"] is None:
    fail("candles: %d rows, last indicators %s" % (len(candles), candles[-1]["indicators"]))
else:
    closes = [c["close"] for c in candles[-10:]]
    sma = candles[-1]["indicators"]["sma:10"][0]
    if abs(sma - sum(closes) / 10) > 1e-12 * abs(sma):
        fail("candles: sma:10 of the last candle is %r, the closes give %r" % (sma, sum(closes) / 10))
if not by_query["open_orders"]["result"]["orders"]:
    fail("no open order (the grid slot should keep resting limit orders)")
if "***redacted***" in by_query["config"]["result"]["text"] or "grid" not in by_query["config"]["result"]["text"]:
    pass  # the config has no secret; it must name the tentacles it runs
if "grid" not in by_query["config"]["result"]["text"]:
    fail("config text does not show the running config")
trades = [t for t in answers[queries.index({"query": "trades", "limit": 10})]["result"]["trades"]]
if not trades:
    fail("no trade in the trades query (slot a should have closed some)")

# Phase B: the commands that change the bot for good (a real order cancelled, every position
# closed), through the interface only.
open_orders = by_query["open_orders"]["result"]["orders"]
positions = by_query["positions"]["result"]["positions"]
order_id = open_orders[0]["client_order_id"] if open_orders else "none"
phase_c = [
    {"command": "cancel_order", "client_order_id": order_id, "id": "c0"},
    {"query": "open_orders"},
    {"command": "force_exit", "reason": "phase C", "id": "c1"},
    {"query": "positions"},
    {"query": "risk", "slot": "a"},
]
answers = over_interface(phase_c)
for request, answer in zip(phase_c, answers):
    kind, name = name_of(request)
    conforms(kind, name, answer, "phase B %s %s" % (kind, name))
if not answers[0].get("ok"):
    fail("cancel_order of %s failed: %s" % (order_id, answers[0]))
if any(o["client_order_id"] == order_id for o in answers[1]["result"]["orders"]):
    fail("the cancelled order %s is still open" % order_id)
if positions and not answers[2].get("ok"):
    fail("force_exit with open positions failed: %s" % answers[2])
if not positions and answers[2].get("ok"):
    fail("force_exit without positions claimed to close some: %s" % answers[2])
if answers[3]["result"]["positions"]:
    fail("positions remain after force_exit: %s" % answers[3]["result"]["positions"])

# Phase C: the other commands, each with an id, the three ways: they leave the bot as they found
# it, or are refused alike (the kill switch cancels every order, so it comes after phase B).
commands = [
    {"command": "pause_entries", "slot": "a", "reason": "phase B"},
    {"command": "resume_entries", "slot": "a", "reason": "phase B"},
    {"command": "kill", "reason": "phase B"},
    {"command": "resume", "reason": "phase B"},
    {"command": "promote", "slot": "b"},
    {"command": "promote", "slot": "a"},
    {"command": "set_params", "tentacle": "sma_crossover", "slot": "a",
     "params": {"fast": 10, "slow": 30}},
    {"command": "reload_tentacle", "tentacle": "sma_crossover"},
    {"command": "reload_config"},
    {"command": "cancel_order", "client_order_id": "no-such-order"},
    {"command": "force_exit", "symbol": "LTC/BTC", "reason": "no such position"},
    {"command": "set_params", "tentacle": "sma_crossover", "slot": "a", "params": {"fast": 0}},
]
for i, command in enumerate(commands):
    command["id"] = "b%d" % i
results = three_ways(commands, "phase C")
expect_ok = [True, True, True, True, True, True, True, True, True, False, False, False]
for command, answer, ok in zip(commands, results, expect_ok):
    if answer.get("ok") != ok:
        fail("phase C %s: ok is %s, expected %s: %s" % (command["command"], answer.get("ok"), ok,
                                                        json.dumps(answer)[:300]))
if results[6].get("result", {}).get("outcome") != "swapped":
    fail("set_params did not swap: %s" % results[6])
if "params.fast" not in results[11].get("error", "") and "fast" not in results[11].get("error", ""):
    fail("set_params with fast=0 is not refused naming the parameter: %s" % results[11])

# Phase D: the swap history of phase C, then stop, through the interface.
answers = over_interface([{"query": "swaps", "limit": 100},
                          {"command": "stop", "reason": "done", "id": "d1"}])
conforms("query", "swaps", answers[0], "phase D query swaps")
conforms("command", "stop", answers[1], "phase D command stop")
swaps = answers[0]["result"]["swaps"]
# Each way: set_params, reload_tentacle and the refused set_params.
if len(swaps) != 9 or {s["trigger"] for s in swaps} != {"command"}:
    fail("the swaps of phase C are not the 9 command swaps: %s" % json.dumps(swaps)[:600])
if sum(s["outcome"] == "rolled_back" for s in swaps) != 3:
    fail("the three refused set_params are not listed as rolled back")
if not answers[1].get("ok"):
    fail("stop failed: %s" % answers[1])

print("control_api_check: %d answers checked, %d problems" % (checked["answers"], len(problems)))
sys.exit(1 if problems else 0)
